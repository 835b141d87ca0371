#pragma once

#include "services/organization/member_service.h"
#include "services/organization/organization_handler.h"
#include "services/organization/organization_service.h"
#include "services/organization/roster_importer.h"
#include "services/server/service_module.h"

namespace lms::organization {

// The organisation service's object graph inside a server.
class OrganizationModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<OrganizationModule>(runtime);
  }
  explicit OrganizationModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }

 private:
  OrganizationService organizations_;
  MemberService members_;
  RosterImporter importer_;
  OrganizationHandler handler_;
  grpc_util::RpcService rpcs_;
};

}  // namespace lms::organization
