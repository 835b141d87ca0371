#pragma once

#include <string>

#include "absl/time/time.h"

namespace lms::identity {

// Sign-in settings. The access token lifetime also bounds how long every server keeps a
// revoked session in memory.
struct IdentityConfig {
  std::string token_secret_key_file;
  // Passwords: at least this many characters (code points), at most kMaxPasswordLength.
  int min_password_length = 12;
  absl::Duration access_token_lifetime = absl::Minutes(15);
  absl::Duration refresh_token_lifetime = absl::Hours(24 * 14);
  // A member's session on a kiosk: short, bound to the device, never refreshed.
  absl::Duration kiosk_member_session_lifetime = absl::Minutes(10);
  // A kiosk's own session; the device signs in again with its credential.
  absl::Duration kiosk_session_lifetime = absl::Hours(1);
  absl::Duration activation_code_lifetime = absl::Hours(24 * 7);
  // Concurrent Argon2id computations (19 MiB and a core each); 0 means the core count.
  int max_concurrent_hashes = 0;
};

inline constexpr int kMaxPasswordLength = 128;

}  // namespace lms::identity
