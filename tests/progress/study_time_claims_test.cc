#include "services/progress/study_time_claims.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "common/time/china_time.h"

namespace lms::progress {
namespace {

int64_t Ms(int year, int month, int day, int hour, int minute) {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), ChinaTimeZone()));
}

TEST(StudyTimeClaimsTest, TimeAlreadyClaimedCountsOnceWhateverTheLesson) {
  StudyTimeClaims claims({});
  const int64_t nine = Ms(2026, 3, 1, 9, 0);
  std::vector<DayClaim> first = claims.Claim(1, {nine, nine + 600'000});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].ms, 600'000);
  // Another lesson over the same ten minutes and five more: only the five are new.
  std::vector<DayClaim> second = claims.Claim(2, {nine, nine + 900'000});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].ms, 300'000);
  // The first lesson again: nothing.
  EXPECT_TRUE(claims.Claim(1, {nine + 60'000, nine + 120'000}).empty());
}

TEST(StudyTimeClaimsTest, APieceIsCutAtChinaMidnight) {
  StudyTimeClaims claims({});
  const int64_t before_midnight = Ms(2026, 3, 1, 23, 50);
  const std::vector<DayClaim> claimed =
      claims.Claim(1, {before_midnight, before_midnight + 20 * 60'000});
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].day, absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(claimed[0].ms, 10 * 60'000);
  EXPECT_EQ(claimed[1].day, absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(claims.Changed().size(), 2u);
}

TEST(StudyTimeClaimsTest, AContinuingPieceOfTheSameLessonExtendsTheStoredOne) {
  const int64_t nine = Ms(2026, 3, 1, 9, 0);
  StudyTimeClaims claims({{nine, nine + 30'000, 7}});
  claims.Claim(7, {nine + 20'000, nine + 60'000});
  const std::vector<ClaimedPiece> changed = claims.Changed();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].start_ms, nine);
  EXPECT_EQ(changed[0].end_ms, nine + 60'000);
  // Another lesson continuing it gets its own piece.
  claims.Claim(8, {nine + 60'000, nine + 90'000});
  EXPECT_EQ(claims.Changed().size(), 2u);
}

TEST(StudyTimeClaimsTest, DayOfFollowsChinaTime) {
  // 2026-03-01 16:00 UTC is midnight in China.
  const int64_t midnight = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2026, 3, 1, 16, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(StudyTimeClaims::DayOf(midnight - 1), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(StudyTimeClaims::DayOf(midnight), absl::CivilDay(2026, 3, 2));
}

}  // namespace
}  // namespace lms::progress
