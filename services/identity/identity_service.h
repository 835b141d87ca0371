#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/session_repository.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/identity/account_repository.h"
#include "services/identity/identity_config.h"
#include "services/identity/password_hasher.h"
#include "services/identity/session_issuer.h"
#include "services/identity/sign_in_throttle.h"

namespace lms::identity {

struct IssuedActivationCode {
  int64_t member_id = 0;
  std::string code;
  absl::Time expire_time = absl::InfinitePast();
};

// Members signing in: passwords (Argon2id, throttled per account, one answer for unknown
// and known accounts), activation codes for the first sign-in and for admin resets,
// rotating refresh tokens whose reuse revokes the session, sign-out. Every revocation is
// added to this process's revocation list before the call answers. Knows neither protos
// nor SQL. Thread-safe.
class IdentityService {
 public:
  IdentityService(db::ConnectionPool& pool, const Clock& clock, const IdentityConfig& config,
                  const PasswordHasher& hasher, HashAdmission& admission,
                  const SessionIssuer& issuer, auth::SessionRevocations& revocations)
      : pool_(pool),
        clock_(clock),
        config_(config),
        hasher_(hasher),
        admission_(admission),
        issuer_(issuer),
        revocations_(revocations) {}

  // `role` is the role to act in: kNone or kMember for self-service, an admin role when
  // granted (the grant at `organization_id`, or the one nearest the root when 0).
  [[nodiscard]] absl::StatusOr<IssuedSession> SignIn(const call::CallContext& call,
                                                     const std::string& login,
                                                     const std::string& password, int role,
                                                     int64_t organization_id) const;
  [[nodiscard]] absl::StatusOr<IssuedSession> Activate(const call::CallContext& call,
                                                       const std::string& login,
                                                       const std::string& code,
                                                       const std::string& new_password) const;
  [[nodiscard]] absl::StatusOr<IssuedSession> Refresh(const call::CallContext& call,
                                                      const std::string& refresh_token) const;
  [[nodiscard]] absl::Status SignOut(const call::CallContext& call, bool everywhere) const;
  [[nodiscard]] absl::Status ChangePassword(const call::CallContext& call,
                                            const std::string& current_password,
                                            const std::string& new_password) const;
  [[nodiscard]] absl::StatusOr<IssuedActivationCode> IssueActivationCode(
      const call::CallContext& call, int64_t member_id) const;
  // The caller with its display name (member or kiosk name).
  [[nodiscard]] absl::StatusOr<IssuedSession> WhoAmI(const call::CallContext& call) const;

 private:
  // Who is trying to prove a secret, the throttle record the attempt counts against and
  // its reservation there.
  struct Attempt {
    std::optional<Account> account;
    std::string throttle_key;
    Reservation reservation;
  };
  // Loads the account (by `login`, or by `member_id` when set) and reserves one attempt
  // against its throttle record, counted as failed until it succeeds, in a short
  // transaction of its own before any hash (no connection is held across one):
  // RESOURCE_EXHAUSTED while locked.
  absl::StatusOr<Attempt> ReserveAttempt(const call::CallContext& call, const std::string& login,
                                         int64_t member_id) const;
  // In a success's transaction: `failure` when an attempt reserved after this one has
  // locked the record meanwhile, else clears the record.
  absl::Status ConfirmSuccess(db::Transaction& tx, const Attempt& attempt,
                              absl::Status failure) const;
  // Writes a failed attempt to the audit trail and answers `failure`.
  absl::Status Failed(const Attempt& attempt, absl::Status failure) const;
  // The password normalised and checked against the policy, or INVALID_ARGUMENT naming
  // `field`.
  absl::StatusOr<std::string> NewPassword(const std::string& field,
                                          const std::string& password) const;
  void Forget(const std::vector<int64_t>& revoked_sessions) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const IdentityConfig& config_;
  const PasswordHasher& hasher_;
  HashAdmission& admission_;
  const SessionIssuer& issuer_;
  auth::SessionRevocations& revocations_;
  const AccountRepository accounts_{};
  const auth::SessionRepository sessions_{};
  const ThrottleRepository throttle_{};
};

// The one answer for every failed password sign-in, whatever the reason.
[[nodiscard]] absl::Status WrongLoginOrPassword();

}  // namespace lms::identity
