#include "services/assessment/question_validation.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/text/text.h"
#include "common/validation/field_checks.h"
#include "services/assessment/fill_in_answer.h"

namespace lms::assessment {
namespace {

void CheckChoiceKey(status::FieldErrors& errors, const std::string& prefix, QuestionType type,
                    const QuestionContent& content) {
  const std::string field = prefix + "key.correct_option_ids";
  if (content.options.size() < kMinOptions || content.options.size() > kMaxOptions) {
    errors.Add(prefix + "options", absl::StrCat("a choice question has ", kMinOptions, " to ",
                                                kMaxOptions, " options"));
  }
  std::set<std::string> texts;
  for (size_t i = 0; i < content.options.size(); ++i) {
    const std::string option_field = absl::StrCat(prefix, "options[", i, "].text");
    if (validation::CheckText(errors, option_field, content.options[i].text, 1, kMaxOptionText,
                              true) &&
        !texts.insert(NormalizeFillIn(content.options[i].text)).second) {
      errors.Add(option_field, "repeats another option");
    }
  }
  const std::set<int32_t> correct(content.key.option_ids.begin(), content.key.option_ids.end());
  if (correct.size() != content.key.option_ids.size()) errors.Add(field, "names an option twice");
  if (type == QuestionType::kSingleChoice && correct.size() != 1) {
    errors.Add(field, "a single-choice question has exactly one correct option");
  }
  if (type == QuestionType::kMultipleChoice &&
      (correct.size() < 2 || correct.size() > content.options.size())) {
    errors.Add(field, "a multiple-choice question has two or more correct options");
  }
  if (content.key.truth != Truth::kUnanswered) {
    errors.Add(prefix + "key.correct_truth", "is for true/false questions only");
  }
  if (!content.key.blanks.empty())
    errors.Add(prefix + "key.blanks", "is for fill-in questions only");
}

void CheckTrueFalseKey(status::FieldErrors& errors, const std::string& prefix,
                       const QuestionContent& content) {
  if (!content.options.empty()) errors.Add(prefix + "options", "a true/false question has none");
  if (!content.key.option_ids.empty()) {
    errors.Add(prefix + "key.correct_option_ids", "is for choice questions only");
  }
  if (content.key.truth != Truth::kTrue && content.key.truth != Truth::kFalse) {
    errors.Add(prefix + "key.correct_truth", "must be TRUTH_TRUE or TRUTH_FALSE");
  }
  if (!content.key.blanks.empty())
    errors.Add(prefix + "key.blanks", "is for fill-in questions only");
}

void CheckFillInKey(status::FieldErrors& errors, const std::string& prefix,
                    const QuestionContent& content) {
  if (!content.options.empty()) errors.Add(prefix + "options", "a fill-in question has none");
  if (!content.key.option_ids.empty()) {
    errors.Add(prefix + "key.correct_option_ids", "is for choice questions only");
  }
  if (content.key.truth != Truth::kUnanswered) {
    errors.Add(prefix + "key.correct_truth", "is for true/false questions only");
  }
  const auto& blanks = content.key.blanks;
  if (blanks.empty() || blanks.size() > kMaxBlanks) {
    errors.Add(prefix + "key.blanks", absl::StrCat("a fill-in question has 1 to ", kMaxBlanks,
                                                   " blanks, each with its accepted answers"));
  }
  for (size_t b = 0; b < blanks.size(); ++b) {
    const std::string blank_field = absl::StrCat(prefix, "key.blanks[", b, "].accepted");
    if (blanks[b].empty() || blanks[b].size() > kMaxAccepted) {
      errors.Add(blank_field, absl::StrCat("must list 1 to ", kMaxAccepted, " accepted answers"));
    }
    for (size_t a = 0; a < blanks[b].size(); ++a) {
      const std::string field = absl::StrCat(blank_field, "[", a, "]");
      if (validation::CheckText(errors, field, blanks[b][a], 1, kMaxAcceptedText) &&
          NormalizeFillIn(blanks[b][a]).empty()) {
        errors.Add(field, "is only spaces and punctuation, which answers are compared without");
      }
    }
  }
}

}  // namespace

void AssignOptionIds(status::FieldErrors& errors, const std::string& prefix,
                     QuestionContent& content, int32_t& last_option_id,
                     const std::vector<QuestionOption>* previous) {
  std::set<int32_t> known;
  if (previous != nullptr) {
    for (const QuestionOption& option : *previous) known.insert(option.id);
  }
  std::set<int32_t> kept;
  for (size_t i = 0; i < content.options.size(); ++i) {
    QuestionOption& option = content.options[i];
    if (previous == nullptr || option.id == 0) {
      option.id = ++last_option_id;
      continue;
    }
    const std::string field = absl::StrCat(prefix, "options[", i, "].id");
    if (known.count(option.id) == 0) {
      errors.Add(field, "is not an option of the question (0 adds a new one)");
    } else if (!kept.insert(option.id).second) {
      errors.Add(field, "repeats another option's id");
    }
  }
  std::map<int32_t, int32_t> by_reference;
  for (size_t i = 0; i < content.options.size(); ++i) {
    const int32_t position = static_cast<int32_t>(i) + 1;
    by_reference[previous == nullptr ? position : -position] = content.options[i].id;
    if (previous != nullptr) by_reference[content.options[i].id] = content.options[i].id;
  }
  for (size_t i = 0; i < content.key.option_ids.size(); ++i) {
    int32_t& id = content.key.option_ids[i];
    const auto found = by_reference.find(id);
    if (found == by_reference.end()) {
      errors.Add(absl::StrCat(prefix, "key.correct_option_ids[", i, "]"),
                 previous == nullptr ? "must be an option's position, from 1"
                                     : "must be an option's id, or minus its position");
      continue;
    }
    id = found->second;
  }
}

void CheckQuestionContent(status::FieldErrors& errors, const std::string& prefix, QuestionType type,
                          const QuestionContent& content) {
  validation::CheckText(errors, prefix + "stem", content.stem, 1, kMaxStem, true);
  switch (type) {
    case QuestionType::kSingleChoice:
    case QuestionType::kMultipleChoice:
      CheckChoiceKey(errors, prefix, type, content);
      break;
    case QuestionType::kTrueFalse:
      CheckTrueFalseKey(errors, prefix, content);
      break;
    case QuestionType::kFillInBlank:
      CheckFillInKey(errors, prefix, content);
      break;
    case QuestionType::kUnspecified:
      errors.Add(prefix + "type", "must be a question type");
      break;
  }
  validation::CheckText(errors, prefix + "key.explanation", content.key.explanation, 0,
                        kMaxExplanation, true);
  if (!IsKnownContentCategory(static_cast<int>(content.content_category))) {
    errors.Add(prefix + "content_category", "must be one of the eight content categories");
  }
  if (content.difficulty < 1 || content.difficulty > kMaxDifficulty) {
    errors.Add(prefix + "difficulty", absl::StrCat("must be 1 to ", kMaxDifficulty));
  }
  if (content.tags.size() > kMaxTags) {
    errors.Add(prefix + "tags", absl::StrCat("at most ", kMaxTags, " tags"));
  }
  std::set<std::string> tags;
  for (size_t i = 0; i < content.tags.size(); ++i) {
    const std::string field = absl::StrCat(prefix, "tags[", i, "]");
    if (validation::CheckText(errors, field, content.tags[i], 1, kMaxTag) &&
        !tags.insert(text::FoldForSearch(content.tags[i]).value_or("")).second) {
      errors.Add(field, "repeated");
    }
  }
  if (!content.code.empty()) {
    validation::CheckCode(errors, prefix + "code", content.code, kMaxQuestionCode);
  }
}

}  // namespace lms::assessment
