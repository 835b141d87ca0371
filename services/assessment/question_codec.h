#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/answer.h"
#include "services/assessment/question.h"

namespace lms::assessment {

// How a question's parts and a member's answer are stored: compact JSON in TEXT columns
// (a version is read and written whole; nothing queries inside it). Decoding what the
// server wrote fails only for a corrupted row: INTERNAL.

[[nodiscard]] std::string OptionsToJson(const std::vector<QuestionOption>& options);
[[nodiscard]] absl::StatusOr<std::vector<QuestionOption>> OptionsFromJson(const std::string& json);

// The key without its explanation (a column of its own).
[[nodiscard]] std::string KeyToJson(const AnswerKey& key);
[[nodiscard]] absl::Status KeyFromJson(const std::string& json, AnswerKey& key);

[[nodiscard]] std::string TagsToJson(const std::vector<std::string>& tags);
[[nodiscard]] absl::StatusOr<std::vector<std::string>> TagsFromJson(const std::string& json);

// An answer in a canonical form: option ids ascending, so equal answers encode equally
// (the statistics group answers by these bytes).
[[nodiscard]] std::string AnswerToJson(const Answer& answer);
[[nodiscard]] absl::StatusOr<Answer> AnswerFromJson(const std::string& json);

}  // namespace lms::assessment
