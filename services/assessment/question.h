#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/categories.h"

namespace lms::assessment {

// Numbers equal lms.v1.QuestionType.
enum class QuestionType : int {
  kUnspecified = 0,
  kSingleChoice = 1,
  kMultipleChoice = 2,
  kTrueFalse = 3,
  kFillInBlank = 4,
};
inline constexpr int kMaxQuestionType = 4;

[[nodiscard]] constexpr bool IsKnownQuestionType(int value) {
  return value >= 1 && value <= kMaxQuestionType;
}
[[nodiscard]] constexpr bool IsChoice(QuestionType type) {
  return type == QuestionType::kSingleChoice || type == QuestionType::kMultipleChoice;
}

// Numbers equal lms.v1.QuestionState.
enum class QuestionState : int {
  kUnspecified = 0,
  kActive = 1,
  kRetired = 2,
};

// A true/false answer or key; unanswered is its own value (numbers equal lms.v1.Truth).
enum class Truth : int {
  kUnanswered = 0,
  kTrue = 1,
  kFalse = 2,
};

struct QuestionOption {
  // Stable across the question's versions: answers and keys name options by id.
  int32_t id = 0;
  std::string text;
};

struct AnswerKey {
  // Choice questions: the correct options' ids, ascending.
  std::vector<int32_t> option_ids;
  Truth truth = Truth::kUnanswered;
  // Fill in the blank: the accepted answers of each blank, in order.
  std::vector<std::vector<std::string>> blanks;
  std::string explanation;
};

// What an admin writes and each version keeps.
struct QuestionContent {
  std::string stem;
  std::vector<QuestionOption> options;
  bool fixed_option_order = false;
  AnswerKey key;
  ContentCategory content_category = ContentCategory::kUnspecified;
  int32_t difficulty = 0;
  std::vector<std::string> tags;
  // Empty: none.
  std::string code;
};

struct Question {
  int64_t id = 0;
  int64_t organization_id = 0;
  QuestionType type = QuestionType::kUnspecified;
  QuestionState state = QuestionState::kUnspecified;
  int64_t version = 0;
  QuestionContent content;
  // The highest option id given so far (a new option gets the next).
  int32_t last_option_id = 0;
  int64_t created_by = 0;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();

  [[nodiscard]] bool retired() const { return state == QuestionState::kRetired; }
};

}  // namespace lms::assessment
