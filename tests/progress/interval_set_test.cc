#include "services/progress/interval_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace lms::progress {
namespace {

TEST(IntervalSetTest, MergesOverlappingAndTouchingPieces) {
  IntervalSet set;
  set.Add({10, 20});
  set.Add({30, 40});
  set.Add({20, 25});  // touches the first
  set.Add({35, 50});  // overlaps the second
  set.Add({5, 5});    // empty: nothing
  EXPECT_EQ(set.Serialize(), "10-25,30-50");
  EXPECT_EQ(set.Measure(), 35);
  set.Add({0, 100});
  EXPECT_EQ(set.Serialize(), "0-100");
}

TEST(IntervalSetTest, MissingIsWhatTheSetLacks) {
  IntervalSet set;
  set.Add({10, 20});
  set.Add({30, 40});
  const std::vector<Interval> missing = set.Missing({0, 50});
  ASSERT_EQ(missing.size(), 3u);
  EXPECT_EQ(missing[0], (Interval{0, 10}));
  EXPECT_EQ(missing[1], (Interval{20, 30}));
  EXPECT_EQ(missing[2], (Interval{40, 50}));
  EXPECT_TRUE(set.Missing({12, 18}).empty());
}

TEST(IntervalSetTest, TheSameSetWhateverTheOrderOfPieces) {
  std::vector<Interval> pieces;
  std::mt19937 random(7);
  for (int i = 0; i < 300; ++i) {
    const auto begin = static_cast<int64_t>(random() % 1000);
    pieces.push_back({begin, begin + 1 + static_cast<int64_t>(random() % 30)});
  }
  IntervalSet ordered;
  for (const Interval& piece : pieces) ordered.Add(piece);
  for (int seed = 0; seed < 20; ++seed) {
    std::shuffle(pieces.begin(), pieces.end(), std::mt19937(seed));
    IntervalSet shuffled;
    for (const Interval& piece : pieces) shuffled.Add(piece);
    EXPECT_EQ(shuffled.Serialize(), ordered.Serialize());
  }
}

TEST(IntervalSetTest, ParsesWhatItSerializesAndRefusesCorruptText) {
  IntervalSet set;
  set.Add({1, 3});
  set.Add({7, 9});
  const absl::StatusOr<IntervalSet> parsed = IntervalSet::Parse(set.Serialize());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Serialize(), "1-3,7-9");
  EXPECT_TRUE(IntervalSet::Parse("").ok());
  for (const char* corrupt : {"1-", "3-1", "1-5,4-8", "a-b", "1-3,3-5"}) {
    EXPECT_EQ(IntervalSet::Parse(corrupt).status().code(), absl::StatusCode::kInternal) << corrupt;
  }
}

}  // namespace
}  // namespace lms::progress
