#include "services/identity/kiosk_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/log/log.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/identity/pin_rules.h"
#include "services/identity/secret_token.h"
#include "services/identity/sign_in_throttle.h"

namespace lms::identity {
namespace {

constexpr absl::string_view kCredentialPrefix = "kc1_";
constexpr size_t kMaxKioskNameLength = 100;
constexpr size_t kMaxCredentialLength = 256;

absl::Status WrongNumberOrPin() { return absl::UnauthenticatedError("wrong member number or PIN"); }

constexpr char kOrganizationOpen[] = "SELECT closed FROM organization WHERE id = ?";
constexpr char kLockoutsBeforeLongLock[] = "kiosk.device.lockouts_before_long_lock";
constexpr char kLongLockHours[] = "kiosk.device.long_lock_hours";
constexpr char kTicketHours[] = "offline.ticket_hours";

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

absl::StatusOr<KioskService::PinAttempt> KioskService::ReservePinAttempt(
    const call::CallContext& call, const std::string& member_number) const {
  return call::RunWrite<PinAttempt>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<PinAttempt> {
        PinAttempt attempt;
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(const Kiosk kiosk, kiosks_.FindForUpdate(tx, call.caller.kiosk_id));
        ASSIGN_OR_RETURN(attempt.account, accounts_.FindByLogin(tx, member_number, false));
        if (attempt.account.has_value()) {
          // A member outside the subtrees this kiosk serves is a stranger here: the same
          // answer as an unknown number.
          ASSIGN_OR_RETURN(const bool served,
                           kiosks_.Serves(tx, kiosk, attempt.account->organization_id));
          if (!served) attempt.account.reset();
        }
        if (attempt.account.has_value()) {
          ASSIGN_OR_RETURN(const ThrottleState pin,
                           throttle_.Load(tx, PinThrottleKey(attempt.account->member_id)));
          if (pin.locked_until > now) {
            return absl::ResourceExhaustedError(absl::StrCat(
                "too many wrong PINs: try again in ",
                absl::ToInt64Seconds(absl::Ceil(pin.locked_until - now, absl::Seconds(1))),
                " s, or sign in on a phone"));
          }
        }
        ASSIGN_OR_RETURN(const ThrottlePolicy device_policy, DevicePolicy(tx, kiosk, now));
        absl::StatusOr<Reservation> device =
            throttle_.Reserve(tx, KioskThrottleKey(kiosk.id), device_policy, now);
        if (!device.ok()) {
          return absl::ResourceExhaustedError(
              absl::StrCat("member sign-in on this kiosk is locked after too many wrong PINs (",
                           device.status().message(), "); an admin can unlock it"));
        }
        attempt.device = *std::move(device);
        if (attempt.account.has_value()) {
          ASSIGN_OR_RETURN(
              attempt.pin,
              throttle_.Reserve(tx, PinThrottleKey(attempt.account->member_id), kPinThrottle, now));
        }
        return attempt;
      });
}

absl::StatusOr<ThrottlePolicy> KioskService::DevicePolicy(db::Transaction& tx, const Kiosk& kiosk,
                                                          absl::Time now) const {
  const absl::CivilDay today = TodayInChina(now);
  ASSIGN_OR_RETURN(const settings::EffectiveSetting lockouts,
                   settings_.Get(tx, kLockoutsBeforeLongLock, kiosk.organization_id, today));
  ASSIGN_OR_RETURN(const settings::EffectiveSetting hours,
                   settings_.Get(tx, kLongLockHours, kiosk.organization_id, today));
  return DeviceThrottle(static_cast<int>(lockouts.value), absl::Hours(hours.value));
}

absl::StatusOr<IssuedSession> KioskService::MemberSignIn(const call::CallContext& call,
                                                         const std::string& member_number,
                                                         const std::string& pin,
                                                         const std::string& new_pin) const {
  status::FieldErrors errors;
  validation::CheckCode(errors, "member_number", member_number, 32);
  CheckPinFormat(errors, "pin", pin);
  if (!new_pin.empty()) CheckPinFormat(errors, "new_pin", new_pin);
  RETURN_IF_ERROR(errors.ToStatus());

  ASSIGN_OR_RETURN(HashPermit permit, admission_.Admit(call.deadline));
  ASSIGN_OR_RETURN(const PinAttempt attempt, ReservePinAttempt(call, member_number));
  const bool usable =
      attempt.account.has_value() && attempt.account->active && !attempt.account->pin_hash.empty();
  if (!hasher_.Verify(permit, usable ? attempt.account->pin_hash : "", pin)) {
    // Counted when reserved; the audit trail names the kiosk and the member (never what
    // was typed).
    log::Warn("kiosk_pin_failed",
              {{"kiosk", call.caller.kiosk_id},
               {"member", attempt.account.has_value() ? attempt.account->member_id : 0},
               {"device_attempts", attempt.device.after.attempts},
               {"device_locked_s",
                absl::ToInt64Seconds(std::max(absl::ZeroDuration(),
                                              attempt.device.after.locked_until - clock_.Now()))}});
    return WrongNumberOrPin();
  }
  const Account& account = *attempt.account;
  // The PIN is right; only now may the answer speak of the member's PINs.
  absl::Status refusal;
  std::optional<std::string> new_hash;
  if (!new_pin.empty()) {
    if (const std::string weak = WeakPinReason(new_pin, account); !weak.empty()) {
      refusal = status::InvalidField("new_pin", absl::StrCat(weak, ": choose another PIN"));
    } else {
      ASSIGN_OR_RETURN(new_hash, hasher_.Hash(permit, new_pin));
    }
  } else if (const std::string weak = WeakPinReason(pin, account); !weak.empty()) {
    refusal = absl::FailedPreconditionError(absl::StrCat(
        "this PIN ", weak, " and is too easy to guess: sign in again with a new one in new_pin"));
  }
  permit.Release();
  std::optional<IssuedSession> issued;
  const absl::Status written =
      call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
        const std::string device_key = KioskThrottleKey(call.caller.kiosk_id);
        const std::string pin_key = PinThrottleKey(account.member_id);
        ASSIGN_OR_RETURN(const ThrottleState device, throttle_.Load(tx, device_key));
        ASSIGN_OR_RETURN(const ThrottleState member_pin, throttle_.Load(tx, pin_key));
        const absl::Time now = clock_.Now();
        // A right PIN landing after parallel wrong ones locked the member or the device fails
        // like a wrong one.
        if (LockedByLaterAttempt(member_pin, attempt.pin, now) ||
            LockedByLaterAttempt(device, attempt.device, now)) {
          return WrongNumberOrPin();
        }
        RETURN_IF_ERROR(throttle_.Save(tx, device_key, WithoutAttempt(device, attempt.device)));
        RETURN_IF_ERROR(throttle_.Clear(tx, pin_key));
        if (!refusal.ok()) return absl::OkStatus();
        if (new_hash.has_value())
          RETURN_IF_ERROR(accounts_.SetPin(tx, account.member_id, *new_hash));
        Session session;
        session.role = auth::Role::kMember;
        session.member_id = account.member_id;
        session.organization_id = account.organization_id;
        session.kiosk_id = call.caller.kiosk_id;
        ASSIGN_OR_RETURN(issued, issuer_.Open(tx, session, config_.kiosk_member_session_lifetime,
                                              false, account.name));
        ASSIGN_OR_RETURN(
            const settings::EffectiveSetting ticket_hours,
            settings_.Get(tx, kTicketHours, account.organization_id, TodayInChina(now)));
        issuer_.AddKioskTicket(*issued, absl::Hours(ticket_hours.value));
        return absl::OkStatus();
      });
  if (written.code() == absl::StatusCode::kUnauthenticated) {
    // A right PIN overtaken by a lock: in the audit trail like a wrong one.
    log::Warn("kiosk_pin_failed", {{"kiosk", call.caller.kiosk_id},
                                   {"member", account.member_id},
                                   {"overtaken_by_lock", true}});
  }
  RETURN_IF_ERROR(written);
  if (!refusal.ok()) return refusal;
  return *std::move(issued);
}

absl::Status KioskService::SetPin(const call::CallContext& call, const std::string& pin) const {
  status::FieldErrors errors;
  CheckPinFormat(errors, "pin", pin);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(
      const std::optional<Account> account,
      db::RunTransactionFor<std::optional<Account>>(pool_, call.deadline, [&](db::Transaction& tx) {
        return accounts_.FindById(tx, call.caller.member_id, false);
      }));
  if (!account.has_value()) return absl::NotFoundError("member not found");
  if (const std::string weak = WeakPinReason(pin, *account); !weak.empty()) {
    return status::InvalidField("pin", absl::StrCat(weak, ": choose another PIN"));
  }
  ASSIGN_OR_RETURN(HashPermit permit, admission_.Admit(call.deadline));
  ASSIGN_OR_RETURN(const std::string hash, hasher_.Hash(permit, pin));
  return call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(accounts_.SetPin(tx, call.caller.member_id, hash));
    // A new PIN starts with a clean record.
    return throttle_.Clear(tx, PinThrottleKey(call.caller.member_id));
  });
}

absl::Status KioskService::Unlock(const call::CallContext& call, int64_t kiosk_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("kiosk_id", kiosk_id));
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(kiosks_.FindForUpdate(tx, kiosk_id).status());
    return throttle_.Clear(tx, KioskThrottleKey(kiosk_id));
  }));
  log::Info("kiosk_unlocked", {{"kiosk", kiosk_id}, {"by", call.caller.member_id}});
  return absl::OkStatus();
}

absl::StatusOr<KioskDetails> KioskService::ChangeServed(const call::CallContext& call,
                                                        int64_t kiosk_id, int64_t organization_id,
                                                        bool serve) const {
  status::FieldErrors errors;
  if (kiosk_id <= 0) errors.Add("kiosk_id", "must be a positive id");
  if (organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  return call::RunWrite<KioskDetails>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<KioskDetails> {
        ASSIGN_OR_RETURN(const Kiosk kiosk, kiosks_.FindForUpdate(tx, kiosk_id));
        if (serve) {
          ASSIGN_OR_RETURN(const std::optional<int64_t> closed,
                           tx.QueryInt64(kOrganizationOpen, {organization_id}));
          if (!closed.has_value()) {
            return absl::NotFoundError(
                absl::StrCat("organisation ", organization_id, " not found"));
          }
          if (*closed != 0) {
            return absl::FailedPreconditionError(
                absl::StrCat("organisation ", organization_id, " is closed"));
          }
          RETURN_IF_ERROR(kiosks_.AddServed(tx, kiosk_id, organization_id));
        } else {
          RETURN_IF_ERROR(kiosks_.RemoveServed(tx, kiosk_id, organization_id));
        }
        return Details(tx, kiosk);
      });
}

absl::StatusOr<KioskDetails> KioskService::Get(const call::CallContext& call,
                                               int64_t kiosk_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("kiosk_id", kiosk_id));
  return db::RunTransactionFor<KioskDetails>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<KioskDetails> {
        ASSIGN_OR_RETURN(const Kiosk kiosk, kiosks_.FindForUpdate(tx, kiosk_id));
        return Details(tx, kiosk);
      });
}

absl::StatusOr<KioskDetails> KioskService::Details(db::Transaction& tx, const Kiosk& kiosk) const {
  KioskDetails details;
  details.kiosk = kiosk;
  ASSIGN_OR_RETURN(details.served_organization_ids, kiosks_.Served(tx, kiosk.id));
  ASSIGN_OR_RETURN(const ThrottleState device, throttle_.Load(tx, KioskThrottleKey(kiosk.id)));
  if (device.locked_until > clock_.Now()) details.member_sign_in_locked_until = device.locked_until;
  return details;
}

}  // namespace lms::identity
