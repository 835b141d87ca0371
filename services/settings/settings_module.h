#pragma once

#include <memory>

#include "services/server/service_module.h"
#include "services/settings/settings_handler.h"
#include "services/settings/settings_service.h"

namespace lms::settings {

// The settings service's object graph inside a server.
class SettingsModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<SettingsModule>(runtime);
  }
  explicit SettingsModule(server::ServerRuntime& runtime)
      : service_(runtime.pool(), runtime.clock()),
        handler_(service_),
        rpcs_("lms.v1.SettingsService", runtime.runner()) {
    handler_.Bind(rpcs_);
  }
  grpc_util::RpcService& service() override { return rpcs_; }

 private:
  SettingsService service_;
  SettingsHandler handler_;
  grpc_util::RpcService rpcs_;
};

}  // namespace lms::settings
