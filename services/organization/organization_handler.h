#pragma once

#include "common/grpc/raw_service.h"
#include "common/grpc/unary_call.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/organization/member_service.h"
#include "services/organization/organization_service.h"
#include "services/organization/roster_importer.h"

namespace lms::organization {

// Every method of lms.v1.OrganizationService, taking raw buffers so that
// UnaryCallRunner decodes requests itself (see DecodeRequest).
using RawOrganizationService =
    grpc_util::RawMethods<v1::OrganizationService::Service,
                          v1::OrganizationService::WithRawCallbackMethod_CreateOrganization,
                          v1::OrganizationService::WithRawCallbackMethod_UpdateOrganization,
                          v1::OrganizationService::WithRawCallbackMethod_MoveOrganization,
                          v1::OrganizationService::WithRawCallbackMethod_CloseOrganization,
                          v1::OrganizationService::WithRawCallbackMethod_GetOrganization,
                          v1::OrganizationService::WithRawCallbackMethod_ListOrganizations,
                          v1::OrganizationService::WithRawCallbackMethod_CreateMember,
                          v1::OrganizationService::WithRawCallbackMethod_UpdateMember,
                          v1::OrganizationService::WithRawCallbackMethod_TransferMember,
                          v1::OrganizationService::WithRawCallbackMethod_GetMember,
                          v1::OrganizationService::WithRawCallbackMethod_ListMembers,
                          v1::OrganizationService::WithRawCallbackMethod_ImportRoster>::type;

// gRPC glue for lms.v1.OrganizationService: decode, authorize (role and subtree, in the
// runner) and dispatch, encode. Everything runs on the worker pool (database).
// Thread-safe.
class OrganizationHandler final : public RawOrganizationService {
 public:
  OrganizationHandler(const OrganizationService& organizations, const MemberService& members,
                      const RosterImporter& importer, const grpc_util::UnaryCallRunner& runner);

#define LMS_RAW_UNARY(Method)                                                                   \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                        \
                                   const grpc::ByteBuffer* request, grpc::ByteBuffer* response) \
      override;
  LMS_RAW_UNARY(CreateOrganization)
  LMS_RAW_UNARY(UpdateOrganization)
  LMS_RAW_UNARY(MoveOrganization)
  LMS_RAW_UNARY(CloseOrganization)
  LMS_RAW_UNARY(GetOrganization)
  LMS_RAW_UNARY(ListOrganizations)
  LMS_RAW_UNARY(CreateMember)
  LMS_RAW_UNARY(UpdateMember)
  LMS_RAW_UNARY(TransferMember)
  LMS_RAW_UNARY(GetMember)
  LMS_RAW_UNARY(ListMembers)
#undef LMS_RAW_UNARY
  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportRoster(grpc::CallbackServerContext* context,
                                                          grpc::ByteBuffer* response) override;

 private:
  const OrganizationService& organizations_;
  const MemberService& members_;
  const RosterImporter& importer_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy create_organization_;
  const auth::MethodPolicy update_organization_;
  const auth::MethodPolicy move_organization_;
  const auth::MethodPolicy close_organization_;
  const auth::MethodPolicy get_organization_;
  const auth::MethodPolicy list_organizations_;
  const auth::MethodPolicy create_member_;
  const auth::MethodPolicy update_member_;
  const auth::MethodPolicy transfer_member_;
  const auth::MethodPolicy get_member_;
  const auth::MethodPolicy list_members_;
  const auth::MethodPolicy import_roster_;
};

}  // namespace lms::organization
