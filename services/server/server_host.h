#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/server/server_runtime.h"
#include "services/server/service_module.h"

namespace lms::server {

// A gRPC server for a set of modules: TLS when configured, bounded message sizes and
// streams, the standard health service (SERVING only while the database answers and is
// durable), and server reflection. Shutdown() lets in-flight calls finish within a grace
// period. Thread-safe.
class ServerHost {
 public:
  explicit ServerHost(ServerRuntime& runtime) : runtime_(runtime) {}
  ~ServerHost();

  // Hosts `module`; its housekeeping sweeps join the runtime's.
  void Add(std::unique_ptr<ServiceModule> module);
  // Creates and hosts every module of `entries` (an error: a module could not be built).
  [[nodiscard]] absl::Status AddAll(const std::vector<ModuleEntry>& entries);
  // The full names of the hosted services, in the order added.
  std::vector<std::string> service_names() const;
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
  // INTERNAL when a policy of `service` names an object kind nobody registered.
  absl::Status CheckObjectKinds(const grpc_util::RpcService& service) const;

  ServerRuntime& runtime_;
  std::vector<std::unique_ptr<ServiceModule>> modules_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread health_thread_;
};

}  // namespace lms::server
