#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "common/grpc/unary_call_runner.h"
#include "lms/v1/organization.pb.h"
#include "services/organization/member_service.h"
#include "services/organization/organization_service.h"
#include "services/organization/roster_import_reactor.h"
#include "services/organization/roster_importer.h"

namespace lms::organization {

// gRPC glue for lms.v1.OrganizationService: proto in, domain call, proto out. Everything
// runs on the worker pool (database); ImportRoster is a client stream served by a
// RosterImportReactor. Thread-safe.
class OrganizationHandler final {
 public:
  OrganizationHandler(const OrganizationService& organizations, const MemberService& members,
                      const RosterImporter& importer, const grpc_util::UnaryCallRunner& runner)
      : organizations_(organizations), members_(members), importer_(importer), runner_(runner) {}

  // Binds every RPC of lms.v1.OrganizationService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status CreateOrganization(const call::CallContext& call,
                                  const v1::CreateOrganizationRequest& request,
                                  v1::Organization* response) const;
  absl::Status UpdateOrganization(const call::CallContext& call,
                                  const v1::UpdateOrganizationRequest& request,
                                  v1::Organization* response) const;
  absl::Status MoveOrganization(const call::CallContext& call,
                                const v1::MoveOrganizationRequest& request,
                                v1::Organization* response) const;
  absl::Status CloseOrganization(const call::CallContext& call,
                                 const v1::CloseOrganizationRequest& request,
                                 v1::Organization* response) const;
  absl::Status GetOrganization(const call::CallContext& call,
                               const v1::GetOrganizationRequest& request,
                               v1::Organization* response) const;
  absl::Status ListOrganizations(const call::CallContext& call,
                                 const v1::ListOrganizationsRequest& request,
                                 v1::ListOrganizationsResponse* response) const;
  absl::Status CreateMember(const call::CallContext& call, const v1::CreateMemberRequest& request,
                            v1::Member* response) const;
  absl::Status UpdateMember(const call::CallContext& call, const v1::UpdateMemberRequest& request,
                            v1::Member* response) const;
  absl::Status TransferMember(const call::CallContext& call,
                              const v1::TransferMemberRequest& request, v1::Member* response) const;
  absl::Status GetMember(const call::CallContext& call, const v1::GetMemberRequest& request,
                         v1::Member* response) const;
  absl::Status ListMembers(const call::CallContext& call, const v1::ListMembersRequest& request,
                           v1::ListMembersResponse* response) const;

 private:
  const OrganizationService& organizations_;
  const MemberService& members_;
  const RosterImporter& importer_;
  const grpc_util::UnaryCallRunner& runner_;
  // Shared by every ImportRoster stream of this server.
  mutable ImportSlots import_slots_{kMaxConcurrentImports};
};

}  // namespace lms::organization
