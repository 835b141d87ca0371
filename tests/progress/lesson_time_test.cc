#include "services/progress/lesson_time.h"

#include <gtest/gtest.h>

namespace lms::progress {
namespace {

constexpr int64_t kMinute = 60'000;

TEST(LessonTimeTest, EachDayCountsUpToTheDailyCap) {
  ProgressRules rules;  // 60 minutes a lesson a day, factor 150 %
  LessonTime time;
  time.Add(absl::CivilDay(2026, 3, 1), 90 * kMinute);
  time.Add(absl::CivilDay(2026, 3, 2), 20 * kMinute);
  const CreditedTime credited = time.Credit(rules, /*covered_ms=*/600 * kMinute);
  EXPECT_EQ(credited.total_ms, 80 * kMinute);
  EXPECT_EQ(time.wall_ms(), 110 * kMinute);
}

TEST(LessonTimeTest, TheDaysFillOldestFirstUpToTheFactorTimesCoverage) {
  ProgressRules rules;
  LessonTime time;
  time.Add(absl::CivilDay(2025, 12, 31), 40 * kMinute);
  time.Add(absl::CivilDay(2026, 1, 1), 40 * kMinute);
  // 40 minutes covered: at most 60 credited, the older day first.
  const CreditedTime credited = time.Credit(rules, 40 * kMinute);
  EXPECT_EQ(credited.total_ms, 60 * kMinute);
  EXPECT_EQ(credited.ms_by_year.at(2025), 40 * kMinute);
  EXPECT_EQ(credited.ms_by_year.at(2026), 20 * kMinute);
  rules.time_factor_percent = 100;
  EXPECT_EQ(time.Credit(rules, 40 * kMinute).total_ms, 40 * kMinute);
}

TEST(LessonTimeTest, ParsesWhatItSerializes) {
  LessonTime time;
  time.Add(absl::CivilDay(2026, 11, 30), 1234);
  time.Add(absl::CivilDay(2026, 1, 2), 5);
  EXPECT_EQ(time.Serialize(), "20260102:5,20261130:1234");
  const absl::StatusOr<LessonTime> parsed = LessonTime::Parse(time.Serialize());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Serialize(), time.Serialize());
  for (const char* corrupt : {"2026:5", "20261301:5", "20260101:-1", "x"}) {
    EXPECT_EQ(LessonTime::Parse(corrupt).status().code(), absl::StatusCode::kInternal) << corrupt;
  }
}

}  // namespace
}  // namespace lms::progress
