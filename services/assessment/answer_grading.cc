#include "services/assessment/answer_grading.h"

#include <algorithm>
#include <set>
#include <string>

#include "services/assessment/fill_in_answer.h"

namespace lms::assessment {
namespace {

Grade GradeChoice(const AnswerKey& key, const Answer& answer, int32_t points, bool partial) {
  const std::set<int32_t> chosen(answer.option_ids.begin(), answer.option_ids.end());
  const std::set<int32_t> correct(key.option_ids.begin(), key.option_ids.end());
  if (chosen.empty() || correct.empty()) return {};
  if (chosen == correct) return {true, points};
  if (!partial) return {};
  if (!std::includes(correct.begin(), correct.end(), chosen.begin(), chosen.end())) return {};
  const auto share = static_cast<int64_t>(points) * static_cast<int64_t>(chosen.size()) /
                     static_cast<int64_t>(correct.size());
  return {false, static_cast<int32_t>(share)};
}

bool BlankMatches(const std::string& given, const std::vector<std::string>& accepted) {
  const std::string normalized = NormalizeFillIn(given);
  if (normalized.empty()) return false;
  return std::any_of(accepted.begin(), accepted.end(),
                     [&](const std::string& one) { return NormalizeFillIn(one) == normalized; });
}

}  // namespace

Grade GradeAnswer(QuestionType type, const AnswerKey& key, const Answer& answer, int32_t points,
                  bool partial_credit) {
  switch (type) {
    case QuestionType::kSingleChoice:
      if (answer.option_ids.size() != 1) return {};
      return GradeChoice(key, answer, points, false);
    case QuestionType::kMultipleChoice:
      return GradeChoice(key, answer, points, partial_credit);
    case QuestionType::kTrueFalse:
      if (answer.truth == Truth::kUnanswered || answer.truth != key.truth) return {};
      return {true, points};
    case QuestionType::kFillInBlank: {
      if (key.blanks.empty() || answer.blanks.size() != key.blanks.size()) return {};
      for (size_t i = 0; i < key.blanks.size(); ++i) {
        if (!BlankMatches(answer.blanks[i], key.blanks[i])) return {};
      }
      return {true, points};
    }
    case QuestionType::kUnspecified:
      break;
  }
  return {};
}

}  // namespace lms::assessment
