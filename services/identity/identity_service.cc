#include "services/identity/identity_service.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/log/log.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/text/text.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/identity/secret_token.h"

namespace lms::identity {
namespace {

constexpr size_t kMaxLoginLength = 64;
constexpr size_t kMaxSecretTokenLength = 256;

void CheckLogin(status::FieldErrors& errors, const std::string& login) {
  validation::CheckText(errors, "login", login, 1, kMaxLoginLength);
}

void CheckPresentedPassword(status::FieldErrors& errors, const std::string& field,
                            const std::string& password) {
  if (password.empty()) {
    errors.Add(field, "is required");
  } else if (text::CodePointCount(password) > static_cast<size_t>(kMaxPasswordLength)) {
    errors.Add(field, absl::StrCat("must be at most ", kMaxPasswordLength, " characters"));
  }
}

std::string Normalized(const std::string& password) {
  return text::NormalizeNfkc(password).value_or(password);
}

absl::StatusOr<auth::Role> RequestedRole(int role) {
  switch (role) {
    case 0:
    case static_cast<int>(auth::Role::kMember):
      return auth::Role::kMember;
    case static_cast<int>(auth::Role::kOrgAdmin):
      return auth::Role::kOrgAdmin;
    case static_cast<int>(auth::Role::kSystemAdmin):
      return auth::Role::kSystemAdmin;
    default:
      return status::InvalidField("role",
                                  "must be ROLE_MEMBER, ROLE_ORG_ADMIN or ROLE_SYSTEM_ADMIN");
  }
}

absl::Status UnknownCode() {
  return absl::UnauthenticatedError("unknown, used or expired activation code");
}

}  // namespace

absl::Status WrongLoginOrPassword() {
  return absl::UnauthenticatedError("wrong login or password");
}

void IdentityService::Forget(const std::vector<int64_t>& revoked_sessions) const {
  revocations_.Add(revoked_sessions, clock_.Now());
}

absl::StatusOr<IdentityService::Attempt> IdentityService::ReserveAttempt(
    const call::CallContext& call, const std::string& login, int64_t member_id) const {
  return call::RunWrite<Attempt>(pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<Attempt> {
    Attempt attempt;
    if (member_id != 0) {
      ASSIGN_OR_RETURN(attempt.account, accounts_.FindById(tx, member_id, false));
    } else {
      ASSIGN_OR_RETURN(attempt.account, accounts_.FindByLogin(tx, login, false));
    }
    // Unknown logins count against a key of their own: the answers stay the same.
    attempt.throttle_key = attempt.account.has_value()
                               ? AccountThrottleKey(attempt.account->member_id)
                           : member_id != 0 ? AccountThrottleKey(member_id)
                                            : LoginThrottleKey(login);
    ASSIGN_OR_RETURN(attempt.reservation,
                     throttle_.Reserve(tx, attempt.throttle_key, kPasswordThrottle, clock_.Now()));
    return attempt;
  });
}

absl::Status IdentityService::ConfirmSuccess(db::Transaction& tx, const Attempt& attempt,
                                             absl::Status failure) const {
  ASSIGN_OR_RETURN(const ThrottleState current, throttle_.Load(tx, attempt.throttle_key));
  // A right guess that lands after a parallel wrong one locked the account fails, with
  // the answer a wrong guess gets (anything else would say the guess was right).
  if (LockedByLaterAttempt(current, attempt.reservation, clock_.Now())) return failure;
  return throttle_.Clear(tx, attempt.throttle_key);
}

absl::Status IdentityService::Failed(const Attempt& attempt, absl::Status failure) const {
  // The attempt was counted when it was reserved. The audit trail names the account
  // ("m:<id>"), never the login that was typed.
  const ThrottleState& after = attempt.reservation.after;
  const bool known = absl::StartsWith(attempt.throttle_key, "m:");
  log::Warn("auth_failed",
            {{"account", known ? attempt.throttle_key : "unknown"},
             {"attempts_this_hour", after.attempts},
             {"locked_s", absl::ToInt64Seconds(
                              std::max(absl::ZeroDuration(), after.locked_until - clock_.Now()))}});
  return failure;
}

absl::StatusOr<std::string> IdentityService::NewPassword(const std::string& field,
                                                         const std::string& password) const {
  const std::string normalized = Normalized(password);
  const size_t length = text::CodePointCount(normalized);
  if (length < static_cast<size_t>(config_.min_password_length) ||
      length > static_cast<size_t>(kMaxPasswordLength)) {
    return status::InvalidField(field, absl::StrCat("must be ", config_.min_password_length, " to ",
                                                    kMaxPasswordLength, " characters"));
  }
  return normalized;
}

absl::StatusOr<IssuedSession> IdentityService::SignIn(const call::CallContext& call,
                                                      const std::string& login,
                                                      const std::string& password, int role,
                                                      int64_t organization_id) const {
  status::FieldErrors errors;
  CheckLogin(errors, login);
  CheckPresentedPassword(errors, "password", password);
  if (organization_id < 0) errors.Add("organization_id", "must be a positive id or 0");
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const auth::Role acting_role, RequestedRole(role));

  ASSIGN_OR_RETURN(HashPermit permit, admission_.Admit(call.deadline));
  ASSIGN_OR_RETURN(const Attempt attempt, ReserveAttempt(call, login, 0));
  const bool usable = attempt.account.has_value() && attempt.account->active &&
                      !attempt.account->password_hash.empty();
  const std::string normalized = Normalized(password);
  // An unusable account still costs one hash (against a decoy): same answer, same time.
  if (!hasher_.Verify(permit, usable ? attempt.account->password_hash : "", normalized)) {
    return Failed(attempt, WrongLoginOrPassword());
  }

  const Account& account = *attempt.account;
  std::optional<std::string> rehashed;
  if (hasher_.NeedsRehash(account.password_hash)) {
    ASSIGN_OR_RETURN(rehashed, hasher_.Hash(permit, normalized));
  }
  permit.Release();
  absl::StatusOr<IssuedSession> issued = call::RunWrite<IssuedSession>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<IssuedSession> {
        RETURN_IF_ERROR(ConfirmSuccess(tx, attempt, WrongLoginOrPassword()));
        if (rehashed.has_value()) {
          RETURN_IF_ERROR(accounts_.SetPassword(tx, account.member_id, *rehashed,
                                                account.must_change_password, clock_.Now()));
        }
        if (account.must_change_password) {
          IssuedSession pending;
          pending.password_change_required = true;
          return pending;
        }
        Session session;
        session.role = acting_role;
        session.member_id = account.member_id;
        session.organization_id = account.organization_id;
        if (acting_role != auth::Role::kMember) {
          ASSIGN_OR_RETURN(
              const std::optional<int64_t> granted,
              accounts_.FindGrant(tx, account.member_id, acting_role, organization_id));
          if (!granted.has_value()) {
            return absl::PermissionDeniedError("this account does not hold the role asked for");
          }
          session.organization_id = *granted;
        }
        return issuer_.Open(tx, session, config_.refresh_token_lifetime, true, account.name);
      });
  if (issued.status().code() == absl::StatusCode::kUnauthenticated) {
    return Failed(attempt, issued.status());
  }
  if (issued.ok() && !issued->password_change_required) {
    log::Info("signed_in", {{"member", account.member_id},
                            {"role", static_cast<int>(issued->caller.role)},
                            {"session", issued->caller.session_id}});
  }
  return issued;
}

absl::StatusOr<IssuedSession> IdentityService::Activate(const call::CallContext& call,
                                                        const std::string& login,
                                                        const std::string& code,
                                                        const std::string& new_password) const {
  status::FieldErrors errors;
  CheckLogin(errors, login);
  if (code.empty() || code.size() > 64) errors.Add("activation_code", "is required");
  CheckPresentedPassword(errors, "new_password", new_password);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const std::string normalized, NewPassword("new_password", new_password));
  const std::string code_digest = SecretDigest(CanonicalActivationCode(code));

  ASSIGN_OR_RETURN(HashPermit permit, admission_.Admit(call.deadline));
  ASSIGN_OR_RETURN(const Attempt attempt, ReserveAttempt(call, login, 0));
  const bool known = attempt.account.has_value() && attempt.account->active;
  // A retry of an activation that went through (its answer lost): this very code set the
  // password the member has now, so the new password is checked against it instead of
  // being set. Any other code, or a password changed since, takes the ordinary path and
  // fails there.
  const bool retry = known && attempt.account->password_set_by_code == code_digest &&
                     !attempt.account->must_change_password;
  // Every outcome costs exactly one Argon2id computation, known login or not: no timing
  // tells which member numbers and phones exist.
  std::string hash;
  if (retry) {
    if (!hasher_.Verify(permit, attempt.account->password_hash, normalized)) {
      return Failed(attempt, UnknownCode());
    }
  } else {
    ASSIGN_OR_RETURN(hash, hasher_.Hash(permit, normalized));
  }
  permit.Release();
  // An unknown or inactive login tries the code as member 0, who has none: the same
  // statements as a known login with a wrong code, so the database time tells nothing
  // either.
  const int64_t member_id = known ? attempt.account->member_id : 0;
  std::vector<int64_t> revoked;
  absl::StatusOr<IssuedSession> issued = call::RunWrite<IssuedSession>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<IssuedSession> {
        const absl::Time now = clock_.Now();
        if (!retry) {
          ASSIGN_OR_RETURN(const bool used,
                           accounts_.UseActivationCode(tx, member_id, code_digest, now));
          if (!used) return UnknownCode();
        }
        const Account& account = *attempt.account;
        RETURN_IF_ERROR(ConfirmSuccess(tx, attempt, UnknownCode()));
        if (!retry) {
          RETURN_IF_ERROR(accounts_.SetPassword(tx, account.member_id, hash,
                                                /*must_change=*/false, now, code_digest));
          ASSIGN_OR_RETURN(
              revoked, sessions_.RevokeMember(tx, account.member_id, 0, "password_changed", now));
        }
        Session session;
        session.role = auth::Role::kMember;
        session.member_id = account.member_id;
        session.organization_id = account.organization_id;
        return issuer_.Open(tx, session, config_.refresh_token_lifetime, true, account.name);
      });
  if (issued.status().code() == absl::StatusCode::kUnauthenticated) {
    return Failed(attempt, issued.status());
  }
  if (issued.ok()) Forget(revoked);
  return issued;
}

absl::StatusOr<IssuedSession> IdentityService::Refresh(const call::CallContext& call,
                                                       const std::string& refresh_token) const {
  if (refresh_token.empty()) return status::InvalidField("refresh_token", "is required");
  if (refresh_token.size() > kMaxSecretTokenLength) {
    return absl::UnauthenticatedError("unknown refresh token");
  }
  // The outcome of the lookup is committed even when the answer is a refusal: a reused
  // token's revocation must stick.
  struct Outcome {
    absl::Status refusal;
    std::vector<int64_t> revoked;
    IssuedSession issued;
  };
  ASSIGN_OR_RETURN(
      Outcome outcome,
      call::RunWrite<Outcome>(pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<Outcome> {
        Outcome o;
        const std::string digest = SecretDigest(refresh_token);
        ASSIGN_OR_RETURN(const std::optional<RefreshToken> token,
                         sessions_.FindRefreshToken(tx, digest));
        if (!token.has_value()) {
          o.refusal = absl::UnauthenticatedError("unknown refresh token");
          return o;
        }
        ASSIGN_OR_RETURN(const Session session, sessions_.FindForUpdate(tx, token->session_id));
        const absl::Time now = clock_.Now();
        if (token->rotated) {
          // Someone presents a token that was already traded in: one of the two
          // holders is a thief. End the session for both.
          ASSIGN_OR_RETURN(o.revoked, sessions_.Revoke(tx, session.id, "refresh_reuse", now));
          o.refusal = absl::UnauthenticatedError(
              "refresh token already used: the session has been ended; sign in again");
          return o;
        }
        if (session.revoked || session.expire_time <= now || token->expire_time <= now) {
          o.refusal = absl::UnauthenticatedError("the session has ended; sign in again");
          return o;
        }
        ASSIGN_OR_RETURN(const std::optional<Account> account,
                         accounts_.FindById(tx, session.member_id, false));
        if (!account.has_value() || !account->active) {
          ASSIGN_OR_RETURN(o.revoked, sessions_.Revoke(tx, session.id, "member_inactive", now));
          o.refusal = absl::UnauthenticatedError("the session has ended; sign in again");
          return o;
        }
        // After an admin reset the member must choose a new password before anything
        // else: a session from before must not carry on around it.
        if (account->must_change_password) {
          ASSIGN_OR_RETURN(o.revoked,
                           sessions_.Revoke(tx, session.id, "password_change_required", now));
          o.refusal = absl::UnauthenticatedError(
              "a new password is required: sign in with the activation code");
          return o;
        }
        RETURN_IF_ERROR(sessions_.MarkRotated(tx, digest, now));
        ASSIGN_OR_RETURN(o.issued, issuer_.Rotate(tx, session, account->name));
        return o;
      }));
  Forget(outcome.revoked);
  if (!outcome.revoked.empty()) {
    log::Warn("session_ended", {{"session", outcome.revoked.front()},
                                {"reason", std::string(outcome.refusal.message())}});
  }
  if (!outcome.refusal.ok()) return outcome.refusal;
  return outcome.issued;
}

absl::Status IdentityService::SignOut(const call::CallContext& call, bool everywhere) const {
  int64_t session_id = 0;
  if (!absl::SimpleAtoi(call.caller.session_id, &session_id)) session_id = 0;
  std::vector<int64_t> revoked;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    revoked.clear();
    const absl::Time now = clock_.Now();
    if (session_id != 0) {
      ASSIGN_OR_RETURN(revoked, sessions_.Revoke(tx, session_id, "sign_out", now));
    }
    if (everywhere && call.caller.member_id != 0) {
      ASSIGN_OR_RETURN(
          const std::vector<int64_t> others,
          sessions_.RevokeMember(tx, call.caller.member_id, 0, "sign_out_everywhere", now));
      revoked.insert(revoked.end(), others.begin(), others.end());
    }
    return absl::OkStatus();
  }));
  Forget(revoked);
  return absl::OkStatus();
}

absl::Status IdentityService::ChangePassword(const call::CallContext& call,
                                             const std::string& current_password,
                                             const std::string& new_password) const {
  status::FieldErrors errors;
  CheckPresentedPassword(errors, "current_password", current_password);
  CheckPresentedPassword(errors, "new_password", new_password);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const std::string normalized, NewPassword("new_password", new_password));
  const int64_t member_id = call.caller.member_id;
  const absl::Status wrong = absl::UnauthenticatedError("the current password is not right");
  ASSIGN_OR_RETURN(HashPermit permit, admission_.Admit(call.deadline));
  ASSIGN_OR_RETURN(const Attempt attempt, ReserveAttempt(call, "", member_id));
  const std::string stored =
      attempt.account.has_value() ? attempt.account->password_hash : std::string();
  if (!hasher_.Verify(permit, stored, Normalized(current_password))) {
    // A retry of a change that already went through (its answer was lost) presents the
    // old password, which no longer matches, and the new one, which does: that is done.
    if (!hasher_.Verify(permit, stored, normalized)) return Failed(attempt, wrong);
    permit.Release();
    return call::RunWrite(pool_, call,
                          [&](db::Transaction& tx) { return ConfirmSuccess(tx, attempt, wrong); });
  }
  ASSIGN_OR_RETURN(const std::string hash, hasher_.Hash(permit, normalized));
  permit.Release();
  int64_t keep = 0;
  if (!absl::SimpleAtoi(call.caller.session_id, &keep)) keep = 0;
  std::vector<int64_t> revoked;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(ConfirmSuccess(tx, attempt, wrong));
    RETURN_IF_ERROR(accounts_.SetPassword(tx, member_id, hash, false, clock_.Now()));
    // Other devices signed in with the old password are signed out; this one stays.
    ASSIGN_OR_RETURN(revoked,
                     sessions_.RevokeMember(tx, member_id, keep, "password_changed", clock_.Now()));
    return absl::OkStatus();
  }));
  Forget(revoked);
  return absl::OkStatus();
}

absl::StatusOr<IssuedActivationCode> IdentityService::IssueActivationCode(
    const call::CallContext& call, int64_t member_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("member_id", member_id));
  IssuedActivationCode issued;
  issued.member_id = member_id;
  issued.code = NewActivationCode();
  issued.expire_time = clock_.Now() + config_.activation_code_lifetime;
  // Naturally idempotent: a member holds at most one valid code, so a retry hands out a
  // fresh one and voids the code the lost answer carried. A code is a reset: every session
  // the member holds ends now (whoever asked for the reset may be locking out an intruder).
  std::vector<int64_t> revoked;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const std::optional<Account> account, accounts_.FindById(tx, member_id, true));
    if (!account.has_value()) {
      return absl::NotFoundError(absl::StrCat("member ", member_id, " not found"));
    }
    if (!account->active) {
      return absl::FailedPreconditionError("only an active member can be given a code");
    }
    const absl::Time now = clock_.Now();
    RETURN_IF_ERROR(accounts_.VoidActivationCodes(tx, member_id, now));
    RETURN_IF_ERROR(accounts_.InsertActivationCode(
        tx, member_id, SecretDigest(CanonicalActivationCode(issued.code)), call.caller.member_id,
        now, issued.expire_time));
    RETURN_IF_ERROR(accounts_.RequirePasswordChange(tx, member_id));
    ASSIGN_OR_RETURN(revoked,
                     sessions_.RevokeMember(tx, member_id, 0, "activation_code_issued", now));
    return absl::OkStatus();
  }));
  Forget(revoked);
  return issued;
}

absl::StatusOr<IssuedSession> IdentityService::WhoAmI(const call::CallContext& call) const {
  IssuedSession who;
  who.caller = call.caller;
  who.access_token_expire_time = call.caller.expires_at;
  if (call.caller.member_id == 0) return who;
  ASSIGN_OR_RETURN(
      const std::optional<Account> account,
      db::RunTransactionFor<std::optional<Account>>(pool_, call.deadline, [&](db::Transaction& tx) {
        return accounts_.FindById(tx, call.caller.member_id, false);
      }));
  if (account.has_value()) who.display_name = account->name;
  return who;
}

}  // namespace lms::identity
