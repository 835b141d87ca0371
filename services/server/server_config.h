#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/db/db_config.h"

namespace lms::server {

// Sign-in settings (the identity service; the lifetimes bound revocation memory too).
struct IdentityConfig {
  std::string token_secret_key_file;
  // Passwords: at least this many characters (code points), at most 128.
  int min_password_length = 12;
  absl::Duration access_token_lifetime = absl::Minutes(15);
  absl::Duration refresh_token_lifetime = absl::Hours(24 * 14);
  absl::Duration kiosk_session_lifetime = absl::Minutes(10);
  absl::Duration kiosk_device_session_lifetime = absl::Hours(1);
  absl::Duration activation_code_lifetime = absl::Hours(24 * 7);
  // Concurrent Argon2id computations (each takes 19 MiB and a core for ~40 ms);
  // 0 means the number of cores.
  int max_concurrent_hashes = 0;
};

// Everything a server binary is configured with (flags; see server_flags.cc).
struct ServerConfig {
  std::string listen_address = "127.0.0.1:50051";
  db::DbConfig db;
  int workers = 32;
  int max_queued_calls = 2048;
  int max_receive_message_bytes = 4 << 20;
  int max_send_message_bytes = 16 << 20;
  int max_concurrent_streams = 200;
  absl::Duration max_call_deadline = absl::Seconds(30);
  absl::Duration shutdown_grace = absl::Seconds(10);
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string token_public_key_file;
  bool allow_non_durable_database = false;
  bool migrate = false;
  bool migrate_only = false;
  absl::Duration catalogue_refresh_interval = absl::Milliseconds(250);
  absl::Duration revocation_refresh_interval = absl::Seconds(1);
  IdentityConfig identity;
};

// Reads flags (after absl::ParseCommandLine). The database password comes from
// --db_password_file or the LMS_DB_PASSWORD environment variable, never from argv, where
// every user of the machine could read it.
[[nodiscard]] ServerConfig ConfigFromFlags();

}  // namespace lms::server
