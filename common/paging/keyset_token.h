#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lms::paging {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// The page size a request asked for: 0 means the default; negative or above the maximum
// is INVALID_ARGUMENT naming `page_size`.
[[nodiscard]] absl::StatusOr<int> PageSize(int requested);
// What is wrong with a page size PageSize refuses ("must be 0 to 100 (got 101)"), for
// listings that report every bad field at once.
[[nodiscard]] std::string PageSizeProblem(int requested);

// Where the next page of a keyset-paged listing starts: the sort key of the last row
// returned, bound to the listing (`kind`) and a fingerprint of its filters, so a token is
// refused anywhere else. Opaque to clients (base64url) and checksummed, so a hand-edited
// token fails loudly instead of paging from a random spot.
struct KeysetCursor {
  std::vector<int64_t> keys;
  uint64_t filter_fingerprint = 0;
};

[[nodiscard]] std::string EncodeKeysetToken(absl::string_view kind, const KeysetCursor& cursor);
// INVALID_ARGUMENT naming `page_token` for anything not made by EncodeKeysetToken for
// this `kind` with `key_count` keys and this fingerprint.
[[nodiscard]] absl::StatusOr<KeysetCursor> DecodeKeysetToken(absl::string_view kind,
                                                             absl::string_view token,
                                                             size_t key_count,
                                                             uint64_t filter_fingerprint);

// For a listing that fetched up to page_size + 1 rows in key order: drops the extra row
// and returns the token of the page after (empty when this was the last), keyed by
// `key_of(last row kept)`.
template <typename Row, typename KeyOf>
[[nodiscard]] std::string TrimToPage(std::vector<Row>& rows, int page_size, absl::string_view kind,
                                     uint64_t filter_fingerprint, KeyOf&& key_of) {
  if (static_cast<int>(rows.size()) <= page_size) return "";
  rows.resize(page_size);
  KeysetCursor cursor;
  cursor.keys = {key_of(rows.back())};
  cursor.filter_fingerprint = filter_fingerprint;
  return EncodeKeysetToken(kind, cursor);
}

// A stable (across processes and restarts) 64-bit FNV-1a hash, for filter fingerprints.
[[nodiscard]] uint64_t StableHash(absl::string_view data);

}  // namespace lms::paging
