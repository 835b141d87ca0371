#include "common/paging/keyset_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/field_errors.h"

namespace lms::paging {
namespace {

constexpr size_t kMaxTokenLength = 512;

absl::Status BadToken() {
  return status::InvalidField("page_token", "is not a token from this listing");
}

uint64_t Checksum(absl::string_view body) { return StableHash(body) & 0xFFFFFF; }

}  // namespace

std::string PageSizeProblem(int requested) {
  return absl::StrCat("must be 0 to ", kMaxPageSize, " (got ", requested, ")");
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0 || requested > kMaxPageSize) {
    return status::InvalidField("page_size", PageSizeProblem(requested));
  }
  return requested == 0 ? kDefaultPageSize : requested;
}

uint64_t StableHash(absl::string_view data) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string EncodeKeysetToken(absl::string_view kind, const KeysetCursor& cursor) {
  const std::string body =
      absl::StrCat(kind, ":", absl::StrJoin(cursor.keys, ","), ":", cursor.filter_fingerprint);
  return absl::WebSafeBase64Escape(absl::StrCat(body, ":", Checksum(body)));
}

absl::StatusOr<KeysetCursor> DecodeKeysetToken(absl::string_view kind, absl::string_view token,
                                               size_t key_count, uint64_t filter_fingerprint) {
  std::string decoded;
  if (token.size() > kMaxTokenLength || !absl::WebSafeBase64Unescape(token, &decoded)) {
    return BadToken();
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(decoded, ':');
  if (parts.size() != 4 || parts[0] != kind) return BadToken();
  uint64_t checksum = 0;
  KeysetCursor cursor;
  const absl::string_view body = absl::string_view(decoded).substr(0, decoded.rfind(':'));
  if (!absl::SimpleAtoi(parts[3], &checksum) || checksum != Checksum(body) ||
      !absl::SimpleAtoi(parts[2], &cursor.filter_fingerprint)) {
    return BadToken();
  }
  for (const absl::string_view key : absl::StrSplit(parts[1], ',')) {
    int64_t value = 0;
    if (!absl::SimpleAtoi(key, &value)) return BadToken();
    cursor.keys.push_back(value);
  }
  if (cursor.keys.size() != key_count) return BadToken();
  if (cursor.filter_fingerprint != filter_fingerprint) {
    return status::InvalidField("page_token", "was issued for other filters or page size");
  }
  return cursor;
}

}  // namespace lms::paging
