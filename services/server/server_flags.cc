#include <cstdlib>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "services/server/server_config.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "gRPC listen address");
ABSL_FLAG(std::string, db_host, "127.0.0.1", "database TCP host");
ABSL_FLAG(int, db_port, 3307, "database TCP port");
ABSL_FLAG(std::string, db_socket, "", "database unix socket (preferred over TCP when set)");
ABSL_FLAG(std::string, db_user, "lms", "database user");
ABSL_FLAG(std::string, db_password_file, "",
          "file holding the database password (else $LMS_DB_PASSWORD)");
ABSL_FLAG(std::string, db_name, "lms", "database name");
ABSL_FLAG(int, db_pool_size, 32, "maximum open database connections");
ABSL_FLAG(int, workers, 32, "threads for database work");
ABSL_FLAG(int, max_queued_calls, 2048, "calls waiting for a worker before RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_receive_message_bytes, 4 << 20, "largest request accepted");
ABSL_FLAG(int, max_concurrent_streams, 200, "concurrent calls per client connection");
ABSL_FLAG(absl::Duration, max_call_deadline, absl::Seconds(30),
          "deadline applied to calls without one, and cap on longer ones");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long SIGTERM waits for in-flight calls");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain; with --tls_key serves TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key");
ABSL_FLAG(std::string, token_public_key, "", "Ed25519 public key file for access tokens");
ABSL_FLAG(std::string, token_secret_key, "",
          "Ed25519 secret key file for signing access tokens (servers hosting identity)");
ABSL_FLAG(absl::Duration, access_token_lifetime, absl::Minutes(15), "access token lifetime");
ABSL_FLAG(absl::Duration, request_log_retention, absl::Hours(24 * 30),
          "how long retry ids are remembered (offline kiosks may sync weeks later)");
ABSL_FLAG(absl::Duration, outbox_retention, absl::Hours(24 * 30),
          "how long outbox events every consumer has passed, and their deliveries, are kept");
ABSL_FLAG(bool, allow_non_durable_database, false,
          "UNSAFE: report SERVING even if the database may lose acknowledged commits");
ABSL_FLAG(bool, allow_development_tokens, false,
          "DEVELOPMENT ONLY: accept session-less tokens from lms-token (never revocable)");
ABSL_FLAG(bool, migrate, false, "apply schema migrations at start-up");
ABSL_FLAG(bool, migrate_only, false, "apply schema migrations and exit");

namespace lms::server {
namespace {

std::string ReadPassword(const std::string& path) {
  if (path.empty()) {
    const char* env = std::getenv("LMS_DB_PASSWORD");
    return env == nullptr ? "" : env;
  }
  std::ifstream in(path);
  std::string password;
  std::getline(in, password);
  return std::string(absl::StripAsciiWhitespace(password));
}

}  // namespace

ServerConfig ConfigFromFlags() {
  ServerConfig config;
  config.listen_address = absl::GetFlag(FLAGS_listen);
  config.db.host = absl::GetFlag(FLAGS_db_host);
  config.db.port = absl::GetFlag(FLAGS_db_port);
  config.db.socket = absl::GetFlag(FLAGS_db_socket);
  config.db.user = absl::GetFlag(FLAGS_db_user);
  config.db.password = ReadPassword(absl::GetFlag(FLAGS_db_password_file));
  config.db.database = absl::GetFlag(FLAGS_db_name);
  config.db.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  config.workers = absl::GetFlag(FLAGS_workers);
  config.max_queued_calls = absl::GetFlag(FLAGS_max_queued_calls);
  config.max_receive_message_bytes = absl::GetFlag(FLAGS_max_receive_message_bytes);
  config.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  config.max_call_deadline = absl::GetFlag(FLAGS_max_call_deadline);
  config.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  config.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  config.token_public_key_file = absl::GetFlag(FLAGS_token_public_key);
  config.allow_non_durable_database = absl::GetFlag(FLAGS_allow_non_durable_database);
  config.allow_development_tokens = absl::GetFlag(FLAGS_allow_development_tokens);
  config.migrate = absl::GetFlag(FLAGS_migrate);
  config.migrate_only = absl::GetFlag(FLAGS_migrate_only);
  config.request_log_retention = absl::GetFlag(FLAGS_request_log_retention);
  config.outbox_retention = absl::GetFlag(FLAGS_outbox_retention);
  config.token_secret_key_file = absl::GetFlag(FLAGS_token_secret_key);
  config.access_token_lifetime = absl::GetFlag(FLAGS_access_token_lifetime);
  return config;
}

}  // namespace lms::server
