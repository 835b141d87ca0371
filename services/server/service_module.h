#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/grpc/rpc_service.h"
#include "common/sched/periodic_task.h"
#include "services/server/housekeeping.h"
#include "services/server/server_runtime.h"

namespace lms::server {

// One service inside a server: its folder's object graph (repositories, services,
// handler, bound RpcService), background tasks and housekeeping. Its flags live in its
// folder too. Created by its ModuleEntry from the shared ServerRuntime.
class ServiceModule {
 public:
  virtual ~ServiceModule() = default;
  // Its gRPC service, with every RPC bound (ServerHost::Start verifies the bindings).
  virtual grpc_util::RpcService& service() = 0;
  // Its background tasks (refreshers), by name for ServerHost::RunTaskNow.
  virtual std::vector<sched::PeriodicTask*> tasks() { return {}; }
  // How its tables' rows that outlived their purpose are deleted.
  virtual std::vector<HousekeepingSweep> housekeeping_sweeps() const { return {}; }
};

// A module as the server binaries and tests list it (services/modules).
struct ModuleEntry {
  // Short name: "course", "organization", "identity".
  std::string name;
  // Builds the module; an error is a configuration error (a missing key, say).
  std::function<absl::StatusOr<std::unique_ptr<ServiceModule>>(ServerRuntime&)> create;
};

}  // namespace lms::server
