#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/attempt.h"
#include "services/assessment/paper.h"
#include "services/progress/course_completion.h"
#include "services/progress/course_final_tests.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::assessment {

// What a passed final or periodic test earns, in the grading's transaction: the paper's
// hours once per paper and member (ledger source TEST, key "paper:<id>"), and for a final
// test the pass progress keeps, completing the course at once when its lessons are done.
// A practice quiz earns nothing. Thread-safe.
class TestPass {
 public:
  TestPass(const progress::HoursLedger& ledger, const progress::CourseCompletion& completion,
           const progress::ProgressRepository& progress, const progress::ProgressRulesSource& rules)
      : ledger_(ledger), completion_(completion), progress_(progress), rules_(rules) {}

  // Applies a pass of `attempt` (graded, passed) to the member's `standing`: sets
  // standing.credit_id and attempt.hours_credited when this pass credits.
  [[nodiscard]] absl::Status Apply(db::Transaction& tx, const Paper& paper, Attempt& attempt,
                                   Standing& standing, absl::Time now) const;

  [[nodiscard]] static std::string SourceKey(int64_t paper_id);

 private:
  absl::Status CompleteCourse(db::Transaction& tx, const Paper& paper, const Attempt& attempt,
                              absl::Time now) const;

  const progress::HoursLedger& ledger_;
  const progress::CourseCompletion& completion_;
  const progress::ProgressRepository& progress_;
  const progress::ProgressRulesSource& rules_;
  const progress::CourseFinalTests final_tests_{};
};

}  // namespace lms::assessment
