#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/settings.pb.h"
#include "services/settings/settings_service.h"

namespace lms::settings {

// gRPC glue for lms.v1.SettingsService: proto in, domain call, proto out, on the worker
// pool (database). Thread-safe.
class SettingsHandler final {
 public:
  explicit SettingsHandler(const SettingsService& service) : service_(service) {}

  // Binds every RPC of lms.v1.SettingsService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status GetSettings(const call::CallContext& call, const v1::GetSettingsRequest& request,
                           v1::GetSettingsResponse* response) const;
  absl::Status ChangeSetting(const call::CallContext& call, const v1::ChangeSettingRequest& request,
                             v1::SettingChange* response) const;
  absl::Status ListSettingChanges(const call::CallContext& call,
                                  const v1::ListSettingChangesRequest& request,
                                  v1::ListSettingChangesResponse* response) const;

 private:
  const SettingsService& service_;
};

}  // namespace lms::settings
