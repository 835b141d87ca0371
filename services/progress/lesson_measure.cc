#include "services/progress/lesson_measure.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lms::progress {
namespace {

constexpr int64_t kPermille = 1000;
// An article is never estimated shorter than this: a few lines still take a minute.
constexpr int64_t kMinArticleMs = 60'000;

}  // namespace

LessonMeasure::LessonMeasure(const LessonFacts& lesson, const ProgressRules& rules)
    : kind_(lesson.kind), rules_(rules) {
  switch (lesson.kind) {
    case course::LessonKind::kVideo:
    case course::LessonKind::kAudio:
      length_units_ = lesson.duration_seconds;
      length_ms_ = int64_t{lesson.duration_seconds} * 1000;
      break;
    case course::LessonKind::kDocument:
      length_units_ = lesson.page_count;
      length_ms_ = int64_t{lesson.page_count} * rules.document_seconds_per_page * 1000;
      break;
    case course::LessonKind::kArticle:
      length_units_ = kPermille;
      length_ms_ = std::max(kMinArticleMs, int64_t{lesson.article_length} * 60'000 /
                                               std::max(1, rules.article_chars_per_minute));
      break;
    case course::LessonKind::kUnspecified:
      break;
  }
}

std::optional<std::string> LessonMeasure::CheckPositions(int32_t from, int32_t to) const {
  const int64_t lowest = kind_ == course::LessonKind::kDocument ? 1 : 0;
  if (from < lowest || from > length_units_) {
    return absl::StrCat("from_position must be ", lowest, " to ", length_units_);
  }
  if (to < from || to > length_units_) {
    return absl::StrCat("to_position must be from_position to ", length_units_);
  }
  return std::nullopt;
}

Interval LessonMeasure::SegmentUnits(int32_t from, int32_t to) const {
  if (kind_ == course::LessonKind::kDocument) return {from - 1, to};
  return {from, to};
}

Interval LessonMeasure::Reachable(Interval segment, int64_t active_ms) const {
  if (length_ms_ <= 0) return {segment.begin, segment.begin};
  // Rounded to the nearest unit, so a page read for most of its estimated time counts.
  const int64_t paced_ms = active_ms * rules_.max_speed_percent / 100;
  const int64_t units = (paced_ms * length_units_ + length_ms_ / 2) / length_ms_;
  return {segment.begin, std::min(segment.end, segment.begin + units)};
}

int64_t LessonMeasure::CoveredMs(int64_t covered_units) const {
  if (length_units_ <= 0) return 0;
  return covered_units * length_ms_ / length_units_;
}

CompletionCheck LessonMeasure::Check(int64_t covered_units, int64_t wall_ms) const {
  CompletionCheck check;
  switch (kind_) {
    case course::LessonKind::kVideo:
    case course::LessonKind::kAudio:
      check.rule = CompletionRule::kCoverage;
      check.needed = rules_.media_completion_permille;
      check.achieved = length_units_ > 0 ? covered_units * kPermille / length_units_ : 0;
      break;
    case course::LessonKind::kDocument:
      check.rule = CompletionRule::kEveryPage;
      check.needed = length_units_;
      check.achieved = covered_units;
      break;
    case course::LessonKind::kArticle:
      check.rule = CompletionRule::kReadingTime;
      // Rounded up: a rule of 36.5 s needs 37.
      check.needed = (length_ms_ * rules_.article_reading_percent / 100 + 999) / 1000;
      check.achieved = wall_ms / 1000;
      break;
    case course::LessonKind::kUnspecified:
      check.needed = 1;
      break;
  }
  return check;
}

}  // namespace lms::progress
