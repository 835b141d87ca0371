#include "services/server/server_main.h"

#include <signal.h>

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/access_token.h"
#include "common/db/migrator.h"
#include "common/log/log.h"

ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace lms::server {

int RunServerMain(int argc, char** argv, const char* usage,
                  const std::vector<ModuleEntry>& modules) {
  absl::SetProgramUsageMessage(usage);
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil keeps the mutex deadlock detector on: a lock-order graph update on
  // every lock, ~2% of a catalogue read in profiles. Tests keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  log::Init(absl::GetFlag(FLAGS_log_level));
  const ServerConfig config = ConfigFromFlags();

  // Block the stop signals before any thread starts, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (config.migrate || config.migrate_only) {
    db::ConnectionPool pool(config.db);
    const auto applied =
        db::Migrator(pool).Apply(db::EmbeddedMigrations(), absl::Now() + absl::Minutes(10));
    if (!applied.ok()) {
      log::Error("migration_failed", {{"error", std::string(applied.status().message())}});
      return 1;
    }
    log::Info("schema_current", {{"applied_now", static_cast<int>(applied->size())}});
    if (config.migrate_only) return 0;
  }

  if (config.token_public_key_file.empty()) {
    log::Error("config_error", {{"error", "--token_public_key is required"}});
    return 2;
  }
  absl::StatusOr<auth::TokenKeys> keys =
      auth::TokenKeys::Load(config.token_public_key_file, config.token_secret_key_file);
  if (!keys.ok()) {
    log::Error("config_error", {{"error", std::string(keys.status().message())}});
    return 2;
  }
  const RealClock clock;
  ServerRuntime runtime(config, *std::move(keys), clock);
  ServerHost host(runtime);
  if (const absl::Status added = host.AddAll(modules); !added.ok()) {
    log::Error("config_error", {{"error", std::string(added.message())}});
    return 2;
  }
  if (const absl::Status started = host.Start(); !started.ok()) {
    log::Error("start_failed", {{"error", std::string(started.message())}});
    return 1;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log::Info("signal_received", {{"signal", signal_number}});
  host.Shutdown(config.shutdown_grace);
  host.Wait();
  log::Info("server_stopped");
  return 0;
}

}  // namespace lms::server
