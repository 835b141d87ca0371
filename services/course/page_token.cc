#include "services/course/page_token.h"

#include <limits>

#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"

namespace lms::course {
namespace {

constexpr absl::string_view kListingKind = "course";

}  // namespace

std::string EncodePageToken(const CourseCursor& cursor) {
  return paging::EncodeKeysetToken(
      kListingKind, {{cursor.order, cursor.learner_count, cursor.sort_time_micros, cursor.id},
                     cursor.filter_fingerprint});
}

absl::StatusOr<CourseCursor> DecodePageToken(absl::string_view token, uint64_t filter_fingerprint) {
  absl::StatusOr<paging::KeysetCursor> keyset =
      paging::DecodeKeysetToken(kListingKind, token, 4, filter_fingerprint);
  if (!keyset.ok()) return keyset.status();
  const std::vector<int64_t>& keys = keyset->keys;
  if (keys[0] < 0 || keys[0] > std::numeric_limits<int32_t>::max() || keys[3] <= 0) {
    return status::InvalidField("page_token", "is not a token from this listing");
  }
  return CourseCursor{static_cast<int32_t>(keys[0]), keys[1], keys[2], keys[3],
                      keyset->filter_fingerprint};
}

}  // namespace lms::course
