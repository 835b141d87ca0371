#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status/field_errors.h"
#include "services/assessment/question.h"

namespace lms::assessment {

inline constexpr size_t kMaxStem = 2000;
inline constexpr size_t kMaxOptionText = 500;
inline constexpr size_t kMinOptions = 2;
inline constexpr size_t kMaxOptions = 10;
inline constexpr size_t kMaxBlanks = 10;
inline constexpr size_t kMaxAccepted = 20;
inline constexpr size_t kMaxAcceptedText = 200;
inline constexpr size_t kMaxExplanation = 2000;
inline constexpr size_t kMaxTags = 10;
inline constexpr size_t kMaxTag = 32;
inline constexpr size_t kMaxQuestionCode = 64;
inline constexpr int32_t kMaxDifficulty = 5;

// Gives the options of new content their ids and maps the key onto them. Without
// `previous` (a new question, an import row) options are numbered 1, 2, 3... and the key
// names them by that position. With the current version's options, an option keeps a
// positive id it had there, an option with id 0 gets the next id after `last_option_id`,
// and the key names an option by its id or, negative, by its position in the list (-3:
// the third). Unknown ids are reported under `prefix` ("question.options[2].id").
void AssignOptionIds(status::FieldErrors& errors, const std::string& prefix,
                     QuestionContent& content, int32_t& last_option_id,
                     const std::vector<QuestionOption>* previous);

// Checks content of a question of `type` (after AssignOptionIds): the stem, the options
// and the key the type needs and nothing else, the explanation, category, difficulty, tags
// and code; every violation is added under `prefix`.
void CheckQuestionContent(status::FieldErrors& errors, const std::string& prefix, QuestionType type,
                          const QuestionContent& content);

}  // namespace lms::assessment
