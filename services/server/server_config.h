#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/db/db_config.h"

namespace lms::server {

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
  // Only a server hosting the identity service signs tokens and needs it.
  std::string token_secret_key_file;
  // How long an access token lives; every server remembers a revoked session this long.
  absl::Duration access_token_lifetime = absl::Minutes(15);
  bool allow_non_durable_database = false;
  // Accept session-less development tokens (lms-token). Never on a real site: they cannot
  // be revoked. The test server and the benchmark's in-process server set it.
  bool allow_development_tokens = false;
  bool migrate = false;
  bool migrate_only = false;
  absl::Duration revocation_refresh_interval = absl::Seconds(1);
  // Request ids: a retry later than this is treated as new. Kiosks may sync after weeks
  // offline, so this is long.
  absl::Duration request_log_retention = absl::Hours(24 * 30);
  // Outbox events every consumer has passed, and their delivery records, go after this.
  absl::Duration outbox_retention = absl::Hours(24 * 30);
  absl::Duration housekeeping_interval = absl::Minutes(10);
};

// Reads flags (after absl::ParseCommandLine). The database password comes from
// --db_password_file or the LMS_DB_PASSWORD environment variable, never from argv, where
// every user of the machine could read it.
[[nodiscard]] ServerConfig ConfigFromFlags();

}  // namespace lms::server
