#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lms::progress {

// A half-open interval [begin, end) of integers (lesson units, or milliseconds).
struct Interval {
  int64_t begin = 0;
  int64_t end = 0;
  [[nodiscard]] int64_t length() const { return end > begin ? end - begin : 0; }
  bool operator==(const Interval& other) const { return begin == other.begin && end == other.end; }
};

// A set of integers kept as sorted, disjoint, non-touching intervals: what has been
// covered, whatever the order and repetition of the pieces added. Union is the only way
// in, so the set (and its measure) depends only on which pieces were added, never on
// their order. Value type; not thread-safe.
class IntervalSet {
 public:
  IntervalSet() = default;
  explicit IntervalSet(std::vector<Interval> sorted_disjoint)
      : intervals_(std::move(sorted_disjoint)) {}

  // Adds [begin, end); an empty or inverted interval adds nothing.
  void Add(Interval interval);
  // How many integers the set holds.
  [[nodiscard]] int64_t Measure() const;
  // The parts of `interval` not in the set, in order.
  [[nodiscard]] std::vector<Interval> Missing(Interval interval) const;
  [[nodiscard]] const std::vector<Interval>& intervals() const { return intervals_; }

  // "a-b,c-d": the stored form. Parse refuses anything else (INTERNAL: stored data).
  [[nodiscard]] std::string Serialize() const;
  [[nodiscard]] static absl::StatusOr<IntervalSet> Parse(absl::string_view text);

 private:
  std::vector<Interval> intervals_;
};

}  // namespace lms::progress
