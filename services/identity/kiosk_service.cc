#include "services/identity/kiosk_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/identity/secret_token.h"
#include "services/identity/sign_in_throttle.h"

namespace lms::identity {
namespace {

constexpr absl::string_view kCredentialPrefix = "kc1_";
constexpr size_t kMaxKioskNameLength = 100;
constexpr size_t kMaxCredentialLength = 256;

bool IsPin(const std::string& pin) {
  return pin.size() >= 4 && pin.size() <= 8 && std::all_of(pin.begin(), pin.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

absl::Status WrongNumberOrPin() { return absl::UnauthenticatedError("wrong member number or PIN"); }

constexpr char kOrganizationOpen[] = "SELECT closed FROM organization WHERE id = ?";

}  // namespace

absl::StatusOr<KioskRegistration> KioskService::Register(const call::CallContext& call,
                                                         int64_t organization_id,
                                                         const std::string& name) const {
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  validation::CheckText(errors, "name", name, 1, kMaxKioskNameLength);
  RETURN_IF_ERROR(errors.ToStatus());
  const std::string credential = NewSecretToken(kCredentialPrefix);
  const std::string digest = SecretDigest(credential);
  const auto answer = [&](db::Transaction&, int64_t kiosk_id) -> absl::StatusOr<KioskRegistration> {
    return KioskRegistration{kiosk_id, credential};
  };
  return call::RunIdempotentWrite<KioskRegistration>(
      pool_, call, clock_.Now(),
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const std::optional<int64_t> closed,
                         tx.QueryInt64(kOrganizationOpen, {organization_id}));
        if (!closed.has_value()) {
          return absl::NotFoundError(absl::StrCat("organisation ", organization_id, " not found"));
        }
        if (*closed != 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("organisation ", organization_id, " is closed"));
        }
        return kiosks_.Insert(tx, organization_id, name, digest, clock_.Now());
      },
      answer,
      // A retry: the first answer was lost with its credential, which is shown only once,
      // so the kiosk gets a fresh one instead — only the same kiosk, of the organisation the
      // retry names (whose scope this write holds), and only while it is not revoked: a
      // request id must not re-key what the caller no longer manages.
      [&](db::Transaction& tx, int64_t kiosk_id) -> absl::StatusOr<KioskRegistration> {
        ASSIGN_OR_RETURN(const Kiosk kiosk, kiosks_.FindForUpdate(tx, kiosk_id));
        if (kiosk.organization_id != organization_id) {
          return status::InvalidField("request_id",
                                      "was used to register a kiosk of another organisation");
        }
        if (kiosk.revoked) {
          return absl::FailedPreconditionError(
              absl::StrCat("kiosk ", kiosk_id, " was revoked: register a new one"));
        }
        RETURN_IF_ERROR(kiosks_.SetCredential(tx, kiosk_id, digest));
        return answer(tx, kiosk_id);
      });
}

absl::Status KioskService::Revoke(const call::CallContext& call, int64_t kiosk_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("kiosk_id", kiosk_id));
  std::vector<int64_t> revoked;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(kiosks_.FindForUpdate(tx, kiosk_id).status());
    RETURN_IF_ERROR(kiosks_.Revoke(tx, kiosk_id, clock_.Now()));
    ASSIGN_OR_RETURN(revoked, sessions_.RevokeKiosk(tx, kiosk_id, "kiosk_revoked", clock_.Now()));
    return absl::OkStatus();
  }));
  revocations_.Add(revoked, clock_.Now());
  return absl::OkStatus();
}

absl::StatusOr<IssuedSession> KioskService::SignIn(const call::CallContext& call,
                                                   const std::string& device_credential) const {
  if (device_credential.empty()) return status::InvalidField("device_credential", "is required");
  if (device_credential.size() > kMaxCredentialLength) {
    return absl::UnauthenticatedError("unknown or revoked kiosk credential");
  }
  return call::RunWrite<IssuedSession>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<IssuedSession> {
        ASSIGN_OR_RETURN(const std::optional<Kiosk> kiosk,
                         kiosks_.FindByCredential(tx, SecretDigest(device_credential)));
        if (!kiosk.has_value() || kiosk->revoked) {
          return absl::UnauthenticatedError("unknown or revoked kiosk credential");
        }
        Session session;
        session.role = auth::Role::kKiosk;
        session.organization_id = kiosk->organization_id;
        session.kiosk_id = kiosk->id;
        return issuer_.Open(tx, session, config_.kiosk_session_lifetime, false, kiosk->name);
      });
}

absl::Status KioskService::RecordPinFailure(const call::CallContext& call,
                                            const std::optional<Account>& account) const {
  const std::string device = KioskThrottleKey(call.caller.kiosk_id);
  return call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const ThrottleState state, throttle_.Load(tx, device));
    RETURN_IF_ERROR(throttle_.Save(tx, device, AfterDeviceFailure(state, clock_.Now())));
    if (!account.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(const std::optional<Account> current,
                     accounts_.FindById(tx, account->member_id, true));
    const int failures = current.has_value() ? current->pin_failures + 1 : 1;
    const bool lock = failures >= kMaxPinFailures;
    return accounts_.SetPinFailures(tx, account->member_id, lock ? 0 : failures,
                                    lock ? clock_.Now() + kPinLockTime : absl::InfinitePast());
  });
}

absl::StatusOr<IssuedSession> KioskService::MemberSignIn(const call::CallContext& call,
                                                         const std::string& member_number,
                                                         const std::string& pin) const {
  status::FieldErrors errors;
  validation::CheckCode(errors, "member_number", member_number, 32);
  if (!IsPin(pin)) errors.Add("pin", "must be 4 to 8 digits");
  RETURN_IF_ERROR(errors.ToStatus());
  std::optional<Account> account;
  ThrottleState device;
  RETURN_IF_ERROR(
      db::RunTransaction(pool_, call.deadline, [&](db::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(account, accounts_.FindByLogin(tx, member_number, false));
        ASSIGN_OR_RETURN(device, throttle_.Load(tx, KioskThrottleKey(call.caller.kiosk_id)));
        return absl::OkStatus();
      }));
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(CheckNotLocked(device, now));
  if (account.has_value() && account->pin_locked_until > now) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many wrong PINs: try again in ",
        absl::ToInt64Seconds(absl::Ceil(account->pin_locked_until - now, absl::Seconds(1))),
        " s, or sign in on a phone"));
  }
  const bool usable = account.has_value() && account->active && !account->pin_hash.empty();
  ASSIGN_OR_RETURN(const bool match,
                   hasher_.Verify(usable ? account->pin_hash : "", pin, call.deadline));
  if (!match) {
    RETURN_IF_ERROR(RecordPinFailure(call, account));
    return WrongNumberOrPin();
  }
  return call::RunWrite<IssuedSession>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<IssuedSession> {
        RETURN_IF_ERROR(accounts_.SetPinFailures(tx, account->member_id, 0, absl::InfinitePast()));
        Session session;
        session.role = auth::Role::kMember;
        session.member_id = account->member_id;
        session.organization_id = account->organization_id;
        session.kiosk_id = call.caller.kiosk_id;
        return issuer_.Open(tx, session, config_.kiosk_member_session_lifetime, false,
                            account->name);
      });
}

absl::Status KioskService::SetPin(const call::CallContext& call, const std::string& pin) const {
  if (!IsPin(pin)) return status::InvalidField("pin", "must be 4 to 8 digits");
  ASSIGN_OR_RETURN(const std::string hash, hasher_.Hash(pin, call.deadline));
  return call::RunWrite(pool_, call, [&](db::Transaction& tx) {
    return accounts_.SetPin(tx, call.caller.member_id, hash);
  });
}

}  // namespace lms::identity
