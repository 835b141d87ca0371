#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/attempt.h"
#include "services/assessment/attempt_repository.h"
#include "services/assessment/paper.h"
#include "services/assessment/question_version_cache.h"
#include "services/assessment/test_pass.h"

namespace lms::assessment {

// Loads attempts' questions and grades attempts, for the member's submit and the server's
// overdue grading alike, so both grade the same way. Thread-safe.
class AttemptGrader {
 public:
  AttemptGrader(const AttemptRepository& attempts, const QuestionVersionCache& versions,
                const TestPass& pass)
      : attempts_(attempts), versions_(versions), pass_(pass) {}

  // The question versions an attempt draws or drew (from memory: versions never change).
  [[nodiscard]] absl::StatusOr<std::map<QuestionVersionKey, Question>> Versions(
      db::Transaction& tx, const std::vector<QuestionVersionKey>& keys) const {
    return versions_.Get(tx, keys);
  }
  // Fills attempt.questions with the answers and each drawn version's content.
  [[nodiscard]] absl::Status LoadQuestions(db::Transaction& tx, Attempt& attempt) const;

  // Grades an open attempt (questions loaded, header locked, the member's standing
  // locked): every answer against its version's key, the result, the member's standing
  // under the paper's score policy, a pass's credit, the statistics queue. The attempt
  // counts as submitted at `submit_time`.
  [[nodiscard]] absl::Status Grade(db::Transaction& tx, const Paper& paper, Attempt& attempt,
                                   Standing& standing, absl::Time submit_time, bool by_server,
                                   absl::Time now) const;

 private:
  const AttemptRepository& attempts_;
  const QuestionVersionCache& versions_;
  const TestPass& pass_;
};

}  // namespace lms::assessment
