#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

struct MissedQuestion {
  int64_t question_id = 0;
  std::string stem;
  int64_t answered = 0;
  int64_t right = 0;
};

struct ContentCategoryFigures {
  // lms.v1.ContentCategory.
  int content_category = 0;
  int64_t answered = 0;
  int64_t right = 0;
};

struct AssessmentFigures {
  int64_t attempts = 0;
  int64_t members_attempted = 0;
  int64_t members_passed = 0;
  // Ten buckets of the score as a percentage of the paper's total: [0,10), ...,
  // [90,100].
  std::vector<int64_t> score_buckets = std::vector<int64_t>(10, 0);
  // The ten questions answered right least often (answered at least 5 times), the least
  // first (then question id).
  std::vector<MissedQuestion> most_missed;
  // Weakest first (then category).
  std::vector<ContentCategoryFigures> content_categories;
};

// Graded attempts at final and periodic tests (practice quizzes are for learning, not
// counted) submitted by the end of `day` by `member_ids` (a subtree's members as of
// `day`); one paper (`paper_id`) or all. A question counts as answered when it was graded
// right or wrong; its stem is the question's current version.
[[nodiscard]] absl::StatusOr<AssessmentFigures> AttemptsTaken(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, absl::CivilDay day,
    int64_t paper_id);

}  // namespace lms::statistics
