#include "absl/flags/flag.h"
#include "services/identity/identity_config.h"

ABSL_FLAG(int, min_password_length, 12, "shortest password accepted, in characters");
ABSL_FLAG(absl::Duration, refresh_token_lifetime, absl::Hours(24 * 14),
          "refresh token lifetime (each use issues a new one)");
ABSL_FLAG(absl::Duration, admin_session_max_lifetime, absl::Hours(12),
          "longest an admin session lives, however often it is refreshed");
ABSL_FLAG(absl::Duration, member_session_max_lifetime, absl::Hours(24 * 30),
          "longest a member session lives, however often it is refreshed");
ABSL_FLAG(int, max_concurrent_hashes, 0,
          "concurrent password hashes (19 MiB and a core each); 0 means the cores less one");
ABSL_FLAG(int, max_waiting_hashes, 0,
          "sign-ins that may wait for a hash slot; beyond them RESOURCE_EXHAUSTED at once;"
          " 0 means three per slot");
ABSL_FLAG(absl::Duration, hash_admission_wait, absl::Milliseconds(50),
          "longest a sign-in waits for a hash slot before RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, expired_session_retention, absl::Hours(24),
          "how long expired sessions and refresh tokens are kept before housekeeping");
ABSL_FLAG(absl::Duration, activation_code_retention, absl::Hours(24 * 30),
          "how long used or expired activation codes are kept before housekeeping");

namespace lms::identity {

IdentityConfig IdentityConfigFromFlags() {
  IdentityConfig config;
  config.min_password_length = absl::GetFlag(FLAGS_min_password_length);
  config.refresh_token_lifetime = absl::GetFlag(FLAGS_refresh_token_lifetime);
  config.max_concurrent_hashes = absl::GetFlag(FLAGS_max_concurrent_hashes);
  config.max_waiting_hashes = absl::GetFlag(FLAGS_max_waiting_hashes);
  config.hash_admission_wait = absl::GetFlag(FLAGS_hash_admission_wait);
  config.admin_session_max_lifetime = absl::GetFlag(FLAGS_admin_session_max_lifetime);
  config.member_session_max_lifetime = absl::GetFlag(FLAGS_member_session_max_lifetime);
  config.expired_session_retention = absl::GetFlag(FLAGS_expired_session_retention);
  config.activation_code_retention = absl::GetFlag(FLAGS_activation_code_retention);
  return config;
}

}  // namespace lms::identity
