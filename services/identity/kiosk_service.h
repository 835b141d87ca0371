#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/session_repository.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/identity/account_repository.h"
#include "services/identity/identity_config.h"
#include "services/identity/kiosk_repository.h"
#include "services/identity/password_hasher.h"
#include "services/identity/session_issuer.h"
#include "services/identity/sign_in_throttle.h"

namespace lms::identity {

struct KioskRegistration {
  int64_t kiosk_id = 0;
  std::string device_credential;
};

// Shared workshop kiosks: registration (the device credential is shown once), revocation
// (ends every session on the device at once), the device's own sign-in, and members
// identifying on a device with number and PIN for a short session bound to it. Wrong PINs
// count against the member (kMaxPinFailures) and the device (kMaxDeviceFailures).
// Thread-safe.
class KioskService {
 public:
  KioskService(db::ConnectionPool& pool, const Clock& clock, const IdentityConfig& config,
               const PasswordHasher& hasher, const SessionIssuer& issuer,
               auth::SessionRevocations& revocations)
      : pool_(pool),
        clock_(clock),
        config_(config),
        hasher_(hasher),
        issuer_(issuer),
        revocations_(revocations) {}

  [[nodiscard]] absl::StatusOr<KioskRegistration> Register(const call::CallContext& call,
                                                           int64_t organization_id,
                                                           const std::string& name) const;
  [[nodiscard]] absl::Status Revoke(const call::CallContext& call, int64_t kiosk_id) const;
  [[nodiscard]] absl::StatusOr<IssuedSession> SignIn(const call::CallContext& call,
                                                     const std::string& device_credential) const;
  [[nodiscard]] absl::StatusOr<IssuedSession> MemberSignIn(const call::CallContext& call,
                                                           const std::string& member_number,
                                                           const std::string& pin) const;
  [[nodiscard]] absl::Status SetPin(const call::CallContext& call, const std::string& pin) const;

 private:
  // Counts a wrong PIN against the device and, when the number is known, the member.
  absl::Status RecordPinFailure(const call::CallContext& call,
                                const std::optional<Account>& account) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const IdentityConfig& config_;
  const PasswordHasher& hasher_;
  const SessionIssuer& issuer_;
  auth::SessionRevocations& revocations_;
  const AccountRepository accounts_{};
  const KioskRepository kiosks_{};
  const auth::SessionRepository sessions_{};
  const ThrottleRepository throttle_{};
};

// PIN lock-out: this many wrong PINs in a row lock the PIN for kPinLockTime.
inline constexpr int kMaxPinFailures = 5;
inline constexpr absl::Duration kPinLockTime = absl::Minutes(15);

}  // namespace lms::identity
