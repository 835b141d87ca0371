// Keyset page tokens: bound to their listing and filters, checksummed, stable across
// processes.

#include "common/paging/keyset_token.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "tests/testing/status_matchers.h"

namespace lms::paging {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;

TEST(KeysetTokenTest, RoundTrips) {
  const std::string token = EncodeKeysetToken("mem", {{3, -7, 1'790'000'000'000'000}, 99});
  const absl::StatusOr<KeysetCursor> cursor = DecodeKeysetToken("mem", token, 3, 99);
  ASSERT_THAT(cursor, IsOk());
  EXPECT_EQ(cursor->keys, (std::vector<int64_t>{3, -7, 1'790'000'000'000'000}));
}

TEST(KeysetTokenTest, RefusesForgedEditedAndMisappliedTokens) {
  const std::string token = EncodeKeysetToken("org", {{1, 9}, 7});
  std::string decoded;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &decoded));
  decoded[decoded.find(",9:") + 1] = '8';  // point the cursor elsewhere, keep the checksum
  for (const std::string& bad :
       {std::string("garbage"), std::string("!!!"), absl::WebSafeBase64Escape("org:1,9:7"),
        absl::WebSafeBase64Escape(decoded), std::string(600, 'A')}) {
    EXPECT_THAT(DecodeKeysetToken("org", bad, 2, 7), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
  EXPECT_THAT(DecodeKeysetToken("mem", token, 2, 7), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeKeysetToken("org", token, 3, 7), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeKeysetToken("org", token, 2, 8), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeysetTokenTest, StableHashIsStableAcrossProcesses) {
  // Fixed value: tokens issued by one replica must be accepted by another.
  EXPECT_EQ(StableHash("lms"), 0x12576f191db56c13ull);  // FNV-1a 64, computed independently
  EXPECT_EQ(StableHash(""), 14695981039346656037ull);
  EXPECT_NE(StableHash("a"), StableHash("b"));
}

TEST(KeysetTokenTest, PageSizeDefaultsAndBounds) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(100), 100);
  EXPECT_THAT(PageSize(101), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PageSize(-1), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lms::paging
