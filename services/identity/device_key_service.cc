#include "services/identity/device_key_service.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"

namespace lms::identity {
namespace {

constexpr size_t kMaxNameLength = 100;

absl::Status CheckKey(const std::string& public_key, const std::string& name) {
  status::FieldErrors errors;
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    errors.Add("public_key", absl::StrCat("must be a raw Ed25519 public key of ",
                                          crypto_sign_PUBLICKEYBYTES, " bytes"));
  } else if (crypto_core_ed25519_is_valid_point(
                 reinterpret_cast<const unsigned char*>(public_key.data())) != 1) {
    // A key that is no point of the curve (or a small-order one) verifies nothing, or
    // anything: refuse it now rather than at the first offline upload.
    errors.Add("public_key", "is not a valid Ed25519 public key");
  }
  validation::CheckText(errors, "name", name, 1, kMaxNameLength);
  return errors.ToStatus();
}

}  // namespace

absl::StatusOr<DeviceKeyRecord> DeviceKeyService::Register(const call::CallContext& call,
                                                           const std::string& public_key,
                                                           const std::string& name) const {
  RETURN_IF_ERROR(CheckKey(public_key, name));
  DeviceKeyRecord key;
  key.member_id = call.caller.member_id;
  key.public_key = public_key;
  key.name = name;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    // The member's row, locked: two registrations at once count each other's keys.
    ASSIGN_OR_RETURN(const std::optional<Account> account,
                     accounts_.FindById(tx, key.member_id, true));
    if (!account.has_value()) {
      return absl::NotFoundError(absl::StrCat("member ", key.member_id, " not found"));
    }
    ASSIGN_OR_RETURN(const std::optional<DeviceKeyRecord> existing,
                     keys_.FindByPublicKey(tx, public_key));
    if (existing.has_value()) {
      if (existing->member_id != key.member_id) {
        return absl::AlreadyExistsError("this key is registered to another member");
      }
      if (existing->revoked()) {
        return absl::FailedPreconditionError(
            "this key was revoked: make a new key on the phone and register that");
      }
      key = *existing;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const std::vector<DeviceKeyRecord> keys,
                     keys_.ListByMember(tx, key.member_id));
    int live = 0;
    for (const DeviceKeyRecord& held : keys) live += held.revoked() ? 0 : 1;
    if (live >= kMaxLiveKeys) {
      return absl::ResourceExhaustedError(absl::StrCat("a member holds at most ", kMaxLiveKeys,
                                                       " live phone keys: revoke one first"));
    }
    key.register_time = clock_.Now();
    ASSIGN_OR_RETURN(key.id, keys_.Insert(tx, key));
    return absl::OkStatus();
  }));
  return key;
}

absl::StatusOr<DeviceKeyRecord> DeviceKeyService::Revoke(const call::CallContext& call,
                                                         int64_t key_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("key_id", key_id));
  DeviceKeyRecord key;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<DeviceKeyRecord> found, keys_.Find(tx, key_id, true));
    if (!found.has_value()) return absl::NotFoundError(absl::StrCat("key ", key_id, " not found"));
    if (!found->revoked()) {
      found->revoke_time = clock_.Now();
      RETURN_IF_ERROR(keys_.Revoke(tx, key_id, found->revoke_time));
    }
    key = *std::move(found);
    return absl::OkStatus();
  }));
  return key;
}

absl::StatusOr<std::vector<DeviceKeyRecord>> DeviceKeyService::List(const call::CallContext& call,
                                                                    int64_t member_id) const {
  ASSIGN_OR_RETURN(const int64_t who, validation::MemberOrCaller(member_id, call.caller.member_id));
  return db::RunTransactionFor<std::vector<DeviceKeyRecord>>(
      pool_, call.deadline,
      [&](db::Transaction& tx) -> absl::StatusOr<std::vector<DeviceKeyRecord>> {
        ASSIGN_OR_RETURN(const std::optional<Account> account, accounts_.FindById(tx, who, false));
        if (!account.has_value()) {
          return absl::NotFoundError(absl::StrCat("member ", who, " not found"));
        }
        return keys_.ListByMember(tx, who);
      });
}

}  // namespace lms::identity
