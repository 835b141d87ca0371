#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lms::validation {

// Checks every service makes on a mutation's envelope, as statuses ready to return.

// INVALID_ARGUMENT naming request_id unless empty or 1-64 of [A-Za-z0-9_-].
[[nodiscard]] absl::Status CheckRequestIdStatus(absl::string_view request_id);
// INVALID_ARGUMENT naming `field` unless `id` > 0.
[[nodiscard]] absl::Status CheckPositiveId(const std::string& field, int64_t id);
// The member a request's `member_id` names, where 0 means the caller: INVALID_ARGUMENT
// naming member_id when negative, or 0 from a caller who is no member (a kiosk).
[[nodiscard]] absl::StatusOr<int64_t> MemberOrCaller(int64_t member_id, int64_t caller_member_id);
// INVALID_ARGUMENT naming expected_version unless > 0.
[[nodiscard]] absl::Status CheckExpectedVersion(int64_t expected_version);
// The envelope of an edit of one versioned object: the request id, the object's id
// (`id_field`, positive) and expected_version, checked in that order.
[[nodiscard]] absl::Status CheckVersionedEdit(absl::string_view request_id,
                                              const std::string& id_field, int64_t id,
                                              int64_t expected_version);
// ABORTED naming both versions when `current` is not `expected`: an edit from a stale
// copy is refused, never a lost update. `what` names the object ("course").
[[nodiscard]] absl::Status CheckVersion(absl::string_view what, int64_t id, int64_t current,
                                        int64_t expected);

}  // namespace lms::validation
