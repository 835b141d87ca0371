#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/assessment/question.h"

namespace lms::assessment {

// A member's answer to one question: option ids for choice questions, a truth for
// true/false, one text per blank for fill in the blank. Nothing in it: unanswered.
struct Answer {
  std::vector<int32_t> option_ids;
  Truth truth = Truth::kUnanswered;
  std::vector<std::string> blanks;

  // Whether the member gave anything (blanks all empty count as nothing).
  [[nodiscard]] bool empty() const {
    if (!option_ids.empty() || truth != Truth::kUnanswered) return false;
    for (const std::string& blank : blanks) {
      if (!blank.empty()) return false;
    }
    return true;
  }
  bool operator==(const Answer& other) const {
    return option_ids == other.option_ids && truth == other.truth && blanks == other.blanks;
  }
  bool operator!=(const Answer& other) const { return !(*this == other); }
};

}  // namespace lms::assessment
