#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lms::course {

// Where the next page of ListCourses starts: the sort key of the last course returned,
// and a fingerprint of the filters, so a token is refused with other filters. Keyset, not
// offset: a course added meanwhile neither repeats nor skips a row. Encoded as a
// common/paging keyset token of kind "course" (opaque, checksummed).
struct CourseCursor {
  int32_t order = 0;
  int64_t learner_count = 0;
  int64_t sort_time_micros = 0;
  int64_t id = 0;
  uint64_t filter_fingerprint = 0;
};

[[nodiscard]] std::string EncodePageToken(const CourseCursor& cursor);
// INVALID_ARGUMENT naming page_token for anything not made by EncodePageToken for these
// filters (`filter_fingerprint`).
[[nodiscard]] absl::StatusOr<CourseCursor> DecodePageToken(absl::string_view token,
                                                           uint64_t filter_fingerprint);

}  // namespace lms::course
