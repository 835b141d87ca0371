#pragma once

#include <cstdint>

#include "services/assessment/answer.h"
#include "services/assessment/question.h"

namespace lms::assessment {

struct Grade {
  bool correct = false;
  int32_t points_awarded = 0;
};

// Grades one answer against the key of the version drawn. Single choice: the one correct
// option. Multiple choice: exactly the correct options; with `partial_credit`, a choice of
// only correct options earns that share of `points`, rounded down (any wrong option: 0).
// True/false: the key's truth (unanswered is wrong, never "false"). Fill in the blank:
// every blank matches one of its accepted answers after NormalizeFillIn. An answer of the
// wrong shape (it was checked when saved) earns nothing.
[[nodiscard]] Grade GradeAnswer(QuestionType type, const AnswerKey& key, const Answer& answer,
                                int32_t points, bool partial_credit);

}  // namespace lms::assessment
