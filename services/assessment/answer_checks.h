#pragma once

#include <optional>
#include <string>

#include "services/assessment/answer.h"
#include "services/assessment/attempt.h"

namespace lms::assessment {

inline constexpr size_t kMaxBlankAnswer = 200;

// What is wrong with `answer` to an attempt's question (loaded with its version), or
// nullopt: choice answers name options of the question (one at most for single choice),
// a true/false answer is a truth, a fill-in answer has at most one text per blank; an
// answer carries nothing its type does not use.
[[nodiscard]] std::optional<std::string> AnswerProblem(const AttemptQuestion& question,
                                                       const Answer& answer);

}  // namespace lms::assessment
