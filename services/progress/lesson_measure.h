#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "services/progress/interval_set.h"
#include "services/progress/lesson_facts.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// Which rule completes a lesson (numbers equal lms.v1.CompletionRule).
enum class CompletionRule : int {
  kUnspecified = 0,
  kCoverage = 1,
  kEveryPage = 2,
  kReadingTime = 3
};

// A lesson's completion rule applied to what a member achieved: `needed` and `achieved`
// in the rule's unit (per-mille covered, pages, seconds of reading).
struct CompletionCheck {
  CompletionRule rule = CompletionRule::kUnspecified;
  int64_t needed = 0;
  int64_t achieved = 0;
  [[nodiscard]] bool met() const { return achieved >= needed; }
};

// A lesson's size under the rules: its units (seconds of a video or audio, pages of a
// document, per-mille of an article), its length in time (the media's duration, or the
// reading time estimated from pages or characters), and the arithmetic between them.
// Pure; value type.
class LessonMeasure {
 public:
  LessonMeasure(const LessonFacts& lesson, const ProgressRules& rules);

  [[nodiscard]] int64_t length_units() const { return length_units_; }
  [[nodiscard]] int64_t length_ms() const { return length_ms_; }

  // What is wrong with an event's positions (a message naming the field), or nullopt.
  [[nodiscard]] std::optional<std::string> CheckPositions(int32_t from, int32_t to) const;
  // The units a segment spans: [from, to) for media and articles; pages from..to as
  // [from - 1, to).
  [[nodiscard]] Interval SegmentUnits(int32_t from, int32_t to) const;
  // The part of `segment` a member can have covered in `active_ms` of their own time,
  // at the fastest pace the rules count: a seek to the end covers only what was studied.
  [[nodiscard]] Interval Reachable(Interval segment, int64_t active_ms) const;
  // The study time a covered measure stands for (covered units at normal pace).
  [[nodiscard]] int64_t CoveredMs(int64_t covered_units) const;
  // The lesson's completion rule against the merged coverage and the wall time claimed.
  [[nodiscard]] CompletionCheck Check(int64_t covered_units, int64_t wall_ms) const;

 private:
  course::LessonKind kind_;
  const ProgressRules& rules_;
  int64_t length_units_ = 0;
  int64_t length_ms_ = 0;
};

}  // namespace lms::progress
