#include "services/progress/interval_set.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lms::progress {

void IntervalSet::Add(Interval interval) {
  if (interval.end <= interval.begin) return;
  // The first interval that ends at or after the new one's start: everything before it
  // stays; it and the ones after that touch the new interval merge into it.
  auto first = std::lower_bound(
      intervals_.begin(), intervals_.end(), interval.begin,
      [](const Interval& existing, int64_t begin) { return existing.end < begin; });
  auto last = first;
  while (last != intervals_.end() && last->begin <= interval.end) {
    interval.begin = std::min(interval.begin, last->begin);
    interval.end = std::max(interval.end, last->end);
    ++last;
  }
  const auto at = intervals_.erase(first, last);
  intervals_.insert(at, interval);
}

int64_t IntervalSet::Measure() const {
  int64_t total = 0;
  for (const Interval& interval : intervals_) total += interval.length();
  return total;
}

std::vector<Interval> IntervalSet::Missing(Interval interval) const {
  std::vector<Interval> missing;
  int64_t cursor = interval.begin;
  for (const Interval& existing : intervals_) {
    if (existing.end <= cursor) continue;
    if (existing.begin >= interval.end) break;
    if (existing.begin > cursor) missing.push_back({cursor, existing.begin});
    cursor = std::max(cursor, existing.end);
  }
  if (cursor < interval.end) missing.push_back({cursor, interval.end});
  return missing;
}

std::string IntervalSet::Serialize() const {
  std::string text;
  for (const Interval& interval : intervals_) {
    if (!text.empty()) text += ',';
    absl::StrAppend(&text, interval.begin, "-", interval.end);
  }
  return text;
}

absl::StatusOr<IntervalSet> IntervalSet::Parse(absl::string_view text) {
  std::vector<Interval> intervals;
  if (text.empty()) return IntervalSet();
  for (const absl::string_view piece : absl::StrSplit(text, ',')) {
    const std::pair<absl::string_view, absl::string_view> ends = absl::StrSplit(piece, '-');
    Interval interval;
    if (!absl::SimpleAtoi(ends.first, &interval.begin) ||
        !absl::SimpleAtoi(ends.second, &interval.end) || interval.end <= interval.begin ||
        (!intervals.empty() && intervals.back().end >= interval.begin)) {
      return absl::InternalError(absl::StrCat("stored intervals are corrupt: ", piece));
    }
    intervals.push_back(interval);
  }
  return IntervalSet(std::move(intervals));
}

}  // namespace lms::progress
