#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/progress/course_completion.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/lesson_catalog.h"
#include "services/progress/progress.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// Applies a batch of one member's progress events inside the caller's transaction:
// sorts out duplicates, replays and bad events; claims the wall-clock time the rest
// cover (StudyTimeClaims); merges their segments into each lesson's coverage; recomputes
// each lesson's credited time (LessonTime) and completion; completes courses and credits
// their hours (CourseCompletion); keeps the year summary of study time. Events apply in a
// canonical order (when they happened, then device, sequence, id), so a batch's effect
// does not depend on the order of its events. Stateless; thread-safe.
class ProgressRecorder {
 public:
  ProgressRecorder(const ProgressRepository& progress, const LessonCatalog& catalog,
                   const CourseCompletion& completion, const HoursLedger& ledger,
                   const enrollment::EnrollmentRepository& enrollments)
      : progress_(progress),
        catalog_(catalog),
        completion_(completion),
        ledger_(ledger),
        enrollments_(enrollments) {}

  [[nodiscard]] absl::StatusOr<RecordOutcome> Record(db::Transaction& tx, int64_t member_id,
                                                     const std::vector<ProgressEvent>& events,
                                                     absl::Time received,
                                                     const ProgressRules& rules) const;

 private:
  // Starts the course for the member: its progress row, and an elective enrolment when
  // the member has none (an archived course is refused unless already started).
  [[nodiscard]] absl::StatusOr<bool> StartCourse(db::Transaction& tx, int64_t member_id,
                                                 const LessonFacts& lesson, absl::Time when,
                                                 absl::Time now, CourseProgress& course) const;

  const ProgressRepository& progress_;
  const LessonCatalog& catalog_;
  const CourseCompletion& completion_;
  const HoursLedger& ledger_;
  const enrollment::EnrollmentRepository& enrollments_;
};

}  // namespace lms::progress
