#include "common/validation/request_checks.h"

#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "common/validation/field_checks.h"

namespace lms::validation {

absl::Status CheckRequestIdStatus(absl::string_view request_id) {
  status::FieldErrors errors;
  CheckRequestId(errors, request_id);
  return errors.ToStatus();
}

absl::Status CheckPositiveId(const std::string& field, int64_t id) {
  if (id <= 0) return status::InvalidField(field, "must be a positive id");
  return absl::OkStatus();
}

absl::Status CheckExpectedVersion(int64_t expected_version) {
  if (expected_version <= 0) {
    return status::InvalidField("expected_version", "required: the version the edit was made from");
  }
  return absl::OkStatus();
}

absl::Status CheckVersionedEdit(absl::string_view request_id, const std::string& id_field,
                                int64_t id, int64_t expected_version) {
  if (absl::Status checked = CheckRequestIdStatus(request_id); !checked.ok()) return checked;
  if (absl::Status checked = CheckPositiveId(id_field, id); !checked.ok()) return checked;
  return CheckExpectedVersion(expected_version);
}

absl::Status CheckVersion(absl::string_view what, int64_t id, int64_t current, int64_t expected) {
  if (current != expected) {
    return absl::AbortedError(absl::StrCat(what, " ", id, " is at version ", current, ", not ",
                                           expected, ": reload it and apply the change again"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemberOrCaller(int64_t member_id, int64_t caller_member_id) {
  if (member_id < 0) return status::InvalidField("member_id", "must be 0 (you) or a positive id");
  const int64_t who = member_id != 0 ? member_id : caller_member_id;
  if (who == 0) return status::InvalidField("member_id", "required for a caller who is no member");
  return who;
}

}  // namespace lms::validation
