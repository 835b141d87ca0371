#include "services/course/page_token.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "common/paging/keyset_token.h"
#include "tests/testing/status_matchers.h"

namespace lms::course {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;

TEST(PageTokenTest, RoundTrips) {
  const CourseCursor cursor{2, 1500, 1'790'000'000'000'000, 42, 0xDEADBEEFCAFEull};
  const absl::StatusOr<CourseCursor> decoded = DecodePageToken(EncodePageToken(cursor));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->order, 2);
  EXPECT_EQ(decoded->learner_count, 1500);
  EXPECT_EQ(decoded->sort_time_micros, 1'790'000'000'000'000);
  EXPECT_EQ(decoded->id, 42);
  EXPECT_EQ(decoded->filter_fingerprint, 0xDEADBEEFCAFEull);
}

TEST(PageTokenTest, RefusesForgedAndEditedTokens) {
  const std::string token = EncodePageToken(CourseCursor{1, 0, 5, 9, 7});
  std::string decoded;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &decoded));
  decoded[decoded.find(":9:") + 1] = '8';  // point the cursor elsewhere, keep the checksum
  for (const std::string& bad :
       {std::string("garbage"), std::string("!!!"), absl::WebSafeBase64Escape("c1:1:0:5:9:7"),
        absl::WebSafeBase64Escape(decoded), std::string(300, 'A')}) {
    EXPECT_THAT(DecodePageToken(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(PageTokenTest, StableHashIsStableAcrossProcesses) {
  // Fixed value: tokens issued by one replica must be accepted by another.
  EXPECT_EQ(paging::StableHash("lms"), 0x12576f191db56c13ull);  // FNV-1a 64, computed independently
  EXPECT_EQ(paging::StableHash(""), 14695981039346656037ull);
  EXPECT_NE(paging::StableHash("a"), paging::StableHash("b"));
}

}  // namespace
}  // namespace lms::course
