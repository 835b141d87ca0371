#include "services/course/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"

namespace lms::course {
namespace {

constexpr absl::string_view kTokenVersion = "c1";

absl::Status BadToken() {
  return status::InvalidField("page_token", "is not a token from this listing");
}

}  // namespace

std::string EncodePageToken(const CourseCursor& cursor) {
  const std::string body =
      absl::StrCat(kTokenVersion, ":", cursor.order, ":", cursor.learner_count, ":",
                   cursor.sort_time_micros, ":", cursor.id, ":", cursor.filter_fingerprint);
  // A checksum makes a hand-edited token fail loudly instead of paging from a random spot.
  return absl::WebSafeBase64Escape(absl::StrCat(body, ":", paging::StableHash(body) & 0xFFFFFF));
}

absl::StatusOr<CourseCursor> DecodePageToken(absl::string_view token) {
  std::string decoded;
  if (token.size() > 256 || !absl::WebSafeBase64Unescape(token, &decoded)) return BadToken();
  const std::vector<absl::string_view> parts = absl::StrSplit(decoded, ':');
  if (parts.size() != 7 || parts[0] != kTokenVersion) return BadToken();
  const size_t body_end = decoded.rfind(':');
  uint64_t checksum = 0;
  CourseCursor cursor;
  if (!absl::SimpleAtoi(parts[6], &checksum) ||
      checksum != (paging::StableHash(absl::string_view(decoded).substr(0, body_end)) & 0xFFFFFF) ||
      !absl::SimpleAtoi(parts[1], &cursor.order) ||
      !absl::SimpleAtoi(parts[2], &cursor.learner_count) ||
      !absl::SimpleAtoi(parts[3], &cursor.sort_time_micros) ||
      !absl::SimpleAtoi(parts[4], &cursor.id) ||
      !absl::SimpleAtoi(parts[5], &cursor.filter_fingerprint) || cursor.id <= 0) {
    return BadToken();
  }
  return cursor;
}

}  // namespace lms::course
