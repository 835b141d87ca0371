#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/attempt.h"
#include "services/assessment/paper.h"
#include "services/assessment/question_repository.h"

namespace lms::assessment {

// The questions a paper offers a draw: for a fixed paper, its questions' current versions
// and types in order; for a drawn paper, each rule's candidates (id, version).
struct DrawPools {
  std::vector<std::pair<QuestionVersionKey, QuestionType>> fixed;
  std::vector<std::vector<QuestionVersionKey>> per_rule;
};

// Draws an attempt's questions: a fixed paper's in order (shuffled when the paper says
// so), or `count` distinct candidates of each rule, shuffled together. No question is
// drawn twice (rules do not overlap, and each rule draws without replacement). Points
// come from the paper's points per type. FAILED_PRECONDITION naming the rule when its
// candidates no longer suffice (questions retired since publishing).
[[nodiscard]] absl::StatusOr<std::vector<AttemptQuestion>> DrawQuestions(
    const PaperSettings& settings, const DrawPools& pools, std::mt19937_64& random);

// Orders each drawn question's options for this attempt: shuffled, unless the question
// keeps its order. `questions` carry their versions' content.
void ShuffleOptions(std::vector<AttemptQuestion>& questions, std::mt19937_64& random);

}  // namespace lms::assessment
