#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/session_repository.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
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

// A kiosk as an admin sees it: where it stands, what it serves beyond its organisation's
// subtree, and until when its member sign-in is locked (InfinitePast: not locked).
struct KioskDetails {
  Kiosk kiosk;
  std::vector<int64_t> served_organization_ids;
  absl::Time member_sign_in_locked_until = absl::InfinitePast();
};

// Shared workshop kiosks: registration (the device credential is shown once), revocation
// (ends every session on the device at once), the device's own sign-in, and members of the
// subtrees a kiosk serves identifying on it with number and PIN for a short session bound
// to it. Every PIN attempt is reserved against the member (kPinThrottle) and the device
// (DeviceThrottle, escalating to a long lock an admin can lift) before its hash. PINs a
// guesser tries first are refused, and a stored one must be changed at its next use.
// Thread-safe.
class KioskService {
 public:
  KioskService(db::ConnectionPool& pool, const Clock& clock, const IdentityConfig& config,
               const PasswordHasher& hasher, HashAdmission& admission, const SessionIssuer& issuer,
               auth::SessionRevocations& revocations)
      : pool_(pool),
        clock_(clock),
        config_(config),
        hasher_(hasher),
        admission_(admission),
        issuer_(issuer),
        revocations_(revocations) {}

  [[nodiscard]] absl::StatusOr<KioskRegistration> Register(const call::CallContext& call,
                                                           int64_t organization_id,
                                                           const std::string& name) const;
  [[nodiscard]] absl::Status Revoke(const call::CallContext& call, int64_t kiosk_id) const;
  [[nodiscard]] absl::StatusOr<IssuedSession> SignIn(const call::CallContext& call,
                                                     const std::string& device_credential) const;
  // With `new_pin` (optional), a member whose PIN is right sets a new one; a stored PIN
  // that is too easy to guess is refused (FAILED_PRECONDITION) until one is given.
  [[nodiscard]] absl::StatusOr<IssuedSession> MemberSignIn(const call::CallContext& call,
                                                           const std::string& member_number,
                                                           const std::string& pin,
                                                           const std::string& new_pin) const;
  [[nodiscard]] absl::Status SetPin(const call::CallContext& call, const std::string& pin) const;
  // Lifts a device lock (short or long) at once.
  [[nodiscard]] absl::Status Unlock(const call::CallContext& call, int64_t kiosk_id) const;
  // Adds (`serve`) or removes an organisation whose subtree the kiosk serves. Idempotent.
  [[nodiscard]] absl::StatusOr<KioskDetails> ChangeServed(const call::CallContext& call,
                                                          int64_t kiosk_id, int64_t organization_id,
                                                          bool serve) const;
  [[nodiscard]] absl::StatusOr<KioskDetails> Get(const call::CallContext& call,
                                                 int64_t kiosk_id) const;

 private:
  // A PIN attempt: the member it names (nullopt when unknown or not served here) and its
  // reservations against the device and the member's PIN.
  struct PinAttempt {
    std::optional<Account> account;
    Reservation device;
    Reservation pin;
  };
  // Reserves one attempt in a short transaction before any hash: RESOURCE_EXHAUSTED
  // while the member's PIN or the device is locked.
  absl::StatusOr<PinAttempt> ReservePinAttempt(const call::CallContext& call,
                                               const std::string& member_number) const;
  // The device throttle, with the escalation settings of the kiosk's organisation.
  absl::StatusOr<ThrottlePolicy> DevicePolicy(db::Transaction& tx, const Kiosk& kiosk,
                                              absl::Time now) const;
  absl::StatusOr<KioskDetails> Details(db::Transaction& tx, const Kiosk& kiosk) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const IdentityConfig& config_;
  const PasswordHasher& hasher_;
  HashAdmission& admission_;
  const SessionIssuer& issuer_;
  auth::SessionRevocations& revocations_;
  const AccountRepository accounts_{};
  const KioskRepository kiosks_{};
  const auth::SessionRepository sessions_{};
  const ThrottleRepository throttle_{};
  const settings::SettingsReader settings_{};
};

}  // namespace lms::identity
