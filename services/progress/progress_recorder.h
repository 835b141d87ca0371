#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/progress/course_completion.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/lesson_facts_cache.h"
#include "services/progress/progress.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"
#include "services/progress/study_time_claims.h"

namespace lms::progress {

// One call's events, from one member.
struct MemberEvents {
  int64_t member_id = 0;
  const std::vector<ProgressEvent>* events = nullptr;
};

// Applies progress events inside the caller's transaction, for one or several calls of
// distinct members at once (every statement covers them all): sorts out duplicates,
// replays and bad events; claims the wall-clock time the rest cover (StudyTimeClaims);
// merges their segments into each lesson's coverage; recomputes each lesson's credited
// time (LessonTime) and completion; completes courses and credits their hours
// (CourseCompletion); keeps the year summaries of study time. A member's events apply in
// a canonical order (when they happened, then device, sequence, id), so a batch's effect
// does not depend on the order of its events. Stateless; thread-safe.
class ProgressRecorder {
 public:
  ProgressRecorder(const ProgressRepository& progress, LessonFactsCache& catalog,
                   const CourseCompletion& completion, const HoursLedger& ledger,
                   const enrollment::EnrollmentRepository& enrollments)
      : progress_(progress),
        catalog_(catalog),
        completion_(completion),
        ledger_(ledger),
        enrollments_(enrollments) {}

  // One outcome per call, in order. The calls' members must be distinct. Without
  // `look_up_known`, stored duplicates and replays are not looked up first: a batch holding
  // one fails with ALREADY_EXISTS, to be run again with it.
  [[nodiscard]] absl::StatusOr<std::vector<RecordOutcome>> Record(
      db::Transaction& tx, const std::vector<MemberEvents>& calls, absl::Time received,
      const ProgressRules& rules, bool look_up_known = true) const;

 private:
  struct BatchState;

  // Starts a course for a member who has no progress in it: an elective enrolment when
  // the member has none. False for a course that is not published.
  [[nodiscard]] absl::StatusOr<bool> StartCourse(db::Transaction& tx, int64_t member_id,
                                                 const LessonFacts& lesson, absl::Time now,
                                                 CourseProgress& course) const;
  // Applies one accepted event to the batch's state; returns it as it is to be stored.
  StoredEvent Apply(int64_t member_id, const ProgressEvent& event, absl::Time happened,
                    absl::Time received, const ProgressRules& rules, StudyTimeClaims& claims,
                    BatchState& state) const;
  // Dates the batch's new (and moved) lesson completions; returns the completed courses
  // whose lessons moved earlier.
  [[nodiscard]] absl::StatusOr<std::set<MemberKey>> DateCompletions(db::Transaction& tx,
                                                                    const ProgressRules& rules,
                                                                    BatchState& state) const;

  const ProgressRepository& progress_;
  LessonFactsCache& catalog_;
  const CourseCompletion& completion_;
  const HoursLedger& ledger_;
  const enrollment::EnrollmentRepository& enrollments_;
};

}  // namespace lms::progress
