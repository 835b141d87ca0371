#include "services/course/page_token.h"

#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace lms::course {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;

TEST(PageTokenTest, RoundTripsForTheSameFilters) {
  const CourseCursor cursor{2, 1500, 1'790'000'000'000'000, 42, 0xDEADBEEFCAFEull};
  const absl::StatusOr<CourseCursor> decoded =
      DecodePageToken(EncodePageToken(cursor), 0xDEADBEEFCAFEull);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->order, 2);
  EXPECT_EQ(decoded->learner_count, 1500);
  EXPECT_EQ(decoded->sort_time_micros, 1'790'000'000'000'000);
  EXPECT_EQ(decoded->id, 42);
  EXPECT_EQ(decoded->filter_fingerprint, 0xDEADBEEFCAFEull);
}

TEST(PageTokenTest, RefusesOtherFiltersAndOtherListings) {
  const std::string token = EncodePageToken(CourseCursor{1, 0, 5, 9, 7});
  EXPECT_THAT(DecodePageToken(token, 8), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken("garbage", 7), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(EncodePageToken(CourseCursor{1, 0, 5, 0, 7}), 7),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lms::course
