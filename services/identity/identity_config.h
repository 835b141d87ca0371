#pragma once

#include <string>

#include "absl/time/time.h"

namespace lms::identity {

// Sign-in settings, from the identity module's own flags (identity_flags.cc).
struct IdentityConfig {
  // Passwords: at least this many characters (code points), at most kMaxPasswordLength.
  int min_password_length = 12;
  // Copied from the server's --access_token_lifetime, which also bounds how long every
  // server keeps a revoked session in memory.
  absl::Duration access_token_lifetime = absl::Minutes(15);
  absl::Duration refresh_token_lifetime = absl::Hours(24 * 14);
  // The longest a session lives however often its refresh token rotates (OWASP ASVS 3.3):
  // an admin role's, a member's. Signing in again starts a new one.
  absl::Duration admin_session_max_lifetime = absl::Hours(12);
  absl::Duration member_session_max_lifetime = absl::Hours(24 * 30);
  // A member's session on a kiosk: short, bound to the device, never refreshed.
  absl::Duration kiosk_member_session_lifetime = absl::Minutes(10);
  // A kiosk's own session; the device signs in again with its credential.
  absl::Duration kiosk_session_lifetime = absl::Hours(1);
  absl::Duration activation_code_lifetime = absl::Hours(24 * 7);
  // Admission to Argon2id computations (19 MiB and a core each): how many at once (0: the
  // cores less one), how many attempts may wait (0: three per slot) and for how long.
  int max_concurrent_hashes = 0;
  int max_waiting_hashes = 0;
  absl::Duration hash_admission_wait = absl::Milliseconds(50);
  // Housekeeping: sessions and refresh tokens this long past their expiry go (revoked ones
  // too, once no access token naming them can still be alive); used or expired
  // activation codes this long after their expiry.
  absl::Duration expired_session_retention = absl::Hours(24);
  absl::Duration activation_code_retention = absl::Hours(24 * 30);
};

// The identity flags (--min_password_length, --refresh_token_lifetime, ...), read after
// absl::ParseCommandLine; their defaults where no flag was given (tests).
[[nodiscard]] IdentityConfig IdentityConfigFromFlags();

inline constexpr int kMaxPasswordLength = 128;

}  // namespace lms::identity
