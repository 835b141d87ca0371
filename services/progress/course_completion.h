#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/progress/course_final_tests.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/lesson_catalog.h"
#include "services/progress/progress.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// Completes courses: by study, when every current lesson of the course is complete and,
// for a course with a final test, the member passed it (CourseFinalTests), or by an
// admin's waiver. Completion
// is recorded once, in the caller's transaction, and credits the course's hours in the
// ledger under the source key "course:<id>", so a course credits at most once per member
// however it was completed. Stateless; thread-safe.
class CourseCompletion {
 public:
  CourseCompletion(const ProgressRepository& progress, const LessonCatalog& catalog,
                   const HoursLedger& ledger)
      : progress_(progress), catalog_(catalog), ledger_(ledger) {}

  // Completes `course` (already saved lessons included) if all its current lessons are
  // complete: at the latest of their completion times. Returns whether it completed now.
  [[nodiscard]] absl::StatusOr<bool> CompleteIfStudied(db::Transaction& tx, CourseProgress& course,
                                                       const ProgressRules& rules,
                                                       absl::Time now) const;
  // Completes `course` by waiver at `now`, crediting the hours (source WAIVER) when asked.
  [[nodiscard]] absl::Status Waive(db::Transaction& tx, CourseProgress& course,
                                   const std::string& reason, int64_t admin_id, bool credit_hours,
                                   const ProgressRules& rules, absl::Time now) const;

  // Moves a studied completion earlier when events synced late show its lessons were
  // complete before it was recorded: the completion time follows the lessons', and when
  // that moves it into another year, its credit is reversed and credited again in that
  // year (the ledger stays append-only; each year's total stays right).
  [[nodiscard]] absl::Status Redate(db::Transaction& tx, CourseProgress& course,
                                    const ProgressRules& rules, absl::Time now) const;

  // The source key of a course's credit.
  [[nodiscard]] static std::string SourceKey(int64_t course_id);

 private:
  // The latest completion time of the course's current lessons; nullopt unless all are
  // complete.
  [[nodiscard]] absl::StatusOr<std::optional<absl::Time>> LessonsCompleted(
      db::Transaction& tx, CourseProgress& course) const;
  [[nodiscard]] absl::Status CreditHours(db::Transaction& tx, CourseProgress& course,
                                         CreditSource source, const std::string& source_key,
                                         const std::string& reason, int64_t actor,
                                         const ProgressRules& rules, absl::Time now,
                                         std::optional<int64_t> hundredths = std::nullopt) const;

  const ProgressRepository& progress_;
  const LessonCatalog& catalog_;
  const HoursLedger& ledger_;
  const CourseFinalTests final_tests_{};
};

}  // namespace lms::progress
