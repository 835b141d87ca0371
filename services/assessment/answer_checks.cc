#include "services/assessment/answer_checks.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/text/text.h"

namespace lms::assessment {

std::optional<std::string> AnswerProblem(const AttemptQuestion& question, const Answer& answer) {
  const QuestionType type = question.question.type;
  if (!IsChoice(type) && !answer.option_ids.empty()) {
    return "option_ids: this question has no options";
  }
  if (type != QuestionType::kTrueFalse && answer.truth != Truth::kUnanswered) {
    return "truth: this is not a true/false question";
  }
  if (type != QuestionType::kFillInBlank && !answer.blanks.empty()) {
    return "blanks: this is not a fill-in question";
  }
  if (IsChoice(type)) {
    const std::set<int32_t> chosen(answer.option_ids.begin(), answer.option_ids.end());
    if (chosen.size() != answer.option_ids.size()) return "option_ids: an option chosen twice";
    if (type == QuestionType::kSingleChoice && chosen.size() > 1) {
      return "option_ids: a single-choice question takes one option";
    }
    for (const int32_t id : chosen) {
      if (std::find(question.option_order.begin(), question.option_order.end(), id) ==
          question.option_order.end()) {
        return absl::StrCat("option_ids: ", id, " is not an option of this question");
      }
    }
  }
  if (type == QuestionType::kTrueFalse) {
    const int truth = static_cast<int>(answer.truth);
    if (truth < 0 || truth > 2) return "truth: must be TRUTH_TRUE, TRUTH_FALSE or unanswered";
  }
  if (type == QuestionType::kFillInBlank) {
    const size_t blanks = question.question.content.key.blanks.size();
    if (answer.blanks.size() > blanks) {
      return absl::StrCat("blanks: this question has ", blanks, " blanks");
    }
    for (size_t i = 0; i < answer.blanks.size(); ++i) {
      const std::string& text = answer.blanks[i];
      if (!text::IsValidUtf8(text) || text::HasControlCharacters(text) ||
          text::CodePointCount(text) > kMaxBlankAnswer) {
        return absl::StrCat("blanks[", i, "]: at most ", kMaxBlankAnswer,
                            " characters of text, no control characters");
      }
    }
  }
  return std::nullopt;
}

}  // namespace lms::assessment
