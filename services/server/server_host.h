#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/access_token.h"
#include "common/auth/authorizer.h"
#include "common/auth/scope_checker.h"
#include "common/auth/session_revocations.h"
#include "common/db/connection_pool.h"
#include "common/grpc/rpc_service.h"
#include "common/grpc/unary_call_runner.h"
#include "common/grpc/worker_pool.h"
#include "common/sched/periodic_task.h"
#include "common/time/clock.h"
#include "services/server/housekeeping.h"
#include "services/server/server_config.h"

namespace lms::server {

// The object graph every service shares in one process: database pool, clock, token
// keys and verifier, session revocations (refreshed every second), authorizer and scope
// checker, worker pool and call runner, and the housekeeping job that deletes expired
// rows. Built once by main (or a test).
class ServerRuntime {
 public:
  // `keys.secret_key` may be empty: only a process hosting the identity service signs.
  ServerRuntime(const ServerConfig& config, auth::TokenKeys keys, const Clock& clock);

  const ServerConfig& config() const { return config_; }
  db::ConnectionPool& pool() { return pool_; }
  const Clock& clock() const { return clock_; }
  const auth::TokenKeys& token_keys() const { return keys_; }
  auth::SessionRevocations& revocations() { return revocations_; }
  const auth::ScopeChecker& scope_checker() const { return scope_checker_; }
  const grpc_util::UnaryCallRunner& runner() const { return runner_; }
  // The runtime's own background tasks (session revocations, housekeeping).
  std::vector<sched::PeriodicTask*> tasks() { return {&revocation_refresh_, &housekeeping_task_}; }

 private:
  const ServerConfig config_;
  const Clock& clock_;
  const auth::TokenKeys keys_;
  db::ConnectionPool pool_;
  auth::AccessTokenVerifier verifier_;
  auth::SessionRevocations revocations_;
  auth::Authorizer authorizer_;
  auth::ScopeChecker scope_checker_;
  grpc_util::WorkerPool workers_;
  grpc_util::UnaryCallRunner runner_;
  sched::PeriodicTask revocation_refresh_;
  Housekeeping housekeeping_;
  sched::PeriodicTask housekeeping_task_;
};

// A service hosted by a server binary; owns its own objects, background tasks included.
class ServiceModule {
 public:
  virtual ~ServiceModule() = default;
  // Its gRPC service, with every RPC bound (ServerHost::Start verifies the bindings).
  virtual grpc_util::RpcService& service() = 0;
  // Its background tasks (refreshers), by name for ServerHost::RunTaskNow.
  virtual std::vector<sched::PeriodicTask*> tasks() { return {}; }
};

// A gRPC server for a set of modules: TLS when configured, bounded message sizes and
// streams, the standard health service (SERVING only while the database answers and is
// durable), and server reflection. Shutdown() lets in-flight calls finish within a grace
// period. Thread-safe.
class ServerHost {
 public:
  explicit ServerHost(ServerRuntime& runtime) : runtime_(runtime) {}
  ~ServerHost();

  void Add(std::unique_ptr<ServiceModule> module);
  // Verifies every module's RPC bindings against the contracts (INTERNAL naming every
  // problem: the server must not start half-bound), binds and starts serving; the health
  // watcher starts with it.
  [[nodiscard]] absl::Status Start();
  // The bound port (useful with ":0").
  int port() const { return port_; }
  // Stops accepting calls, waits up to `grace` for in-flight ones, then cancels the rest.
  void Shutdown(absl::Duration grace);
  void Wait();
  // Runs the background task named `name` (the runtime's or a module's) once now and
  // returns its status: NOT_FOUND for an unknown name. Tests use it instead of waiting.
  [[nodiscard]] absl::Status RunTaskNow(absl::string_view name);

 private:
  void WatchHealth();

  ServerRuntime& runtime_;
  std::vector<std::unique_ptr<ServiceModule>> modules_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread health_thread_;
};

}  // namespace lms::server
