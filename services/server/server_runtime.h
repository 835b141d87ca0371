#pragma once

#include <vector>

#include "common/auth/access_token.h"
#include "common/auth/authorizer.h"
#include "common/auth/scope_checker.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/grpc/unary_call_runner.h"
#include "common/grpc/worker_pool.h"
#include "common/metrics/counters.h"
#include "common/sched/periodic_task.h"
#include "common/time/clock.h"
#include "services/server/housekeeping.h"
#include "services/server/server_config.h"

namespace lms::server {

// The object graph every service shares in one process: database pool, clock, token
// keys and verifier, session revocations (refreshed every second), authorizer and scope
// checker, worker pool and call runner, and the housekeeping job (the request log's sweep
// and each hosted module's). Built once by main (or a test), before the modules, which
// keep references to it.
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
  // Modules register the object kinds they own here, before serving.
  auth::ScopeChecker& mutable_scope_checker() { return scope_checker_; }
  const grpc_util::UnaryCallRunner& runner() const { return runner_; }
  Housekeeping& housekeeping() { return housekeeping_; }
  // The process's event counters (password hashes, admission refusals, ...).
  metrics::Counters& counters() { return counters_; }
  // The runtime's own background tasks (session revocations, housekeeping).
  std::vector<sched::PeriodicTask*> tasks() { return {&revocation_refresh_, &housekeeping_task_}; }
  // Tests only: called inside every write's transaction just before it commits
  // (call::RunWrite), so a test can hold a write there and race it. Set before serving.
  void SetBeforeCommitHookForTesting(std::function<void(const call::CallContext&)> hook);

 private:
  const ServerConfig config_;
  const Clock& clock_;
  const auth::TokenKeys keys_;
  metrics::Counters counters_;
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

}  // namespace lms::server
