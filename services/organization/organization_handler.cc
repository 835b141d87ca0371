#include "services/organization/organization_handler.h"

#include "common/grpc/proto_time.h"
#include "services/organization/organization_mapping.h"
#include "services/organization/roster_import_reactor.h"

namespace lms::organization {
namespace {

absl::Status Respond(const absl::StatusOr<Organization>& organization, v1::Organization* response) {
  if (organization.ok()) ToProto(*organization, response);
  return organization.status();
}

absl::Status Respond(const absl::StatusOr<Member>& member, v1::Member* response) {
  if (member.ok()) ToProto(*member, response);
  return member.status();
}

}  // namespace

void OrganizationHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("CreateOrganization", *this, &OrganizationHandler::CreateOrganization);
  rpcs.Blocking("UpdateOrganization", *this, &OrganizationHandler::UpdateOrganization);
  rpcs.Blocking("MoveOrganization", *this, &OrganizationHandler::MoveOrganization);
  rpcs.Blocking("CloseOrganization", *this, &OrganizationHandler::CloseOrganization);
  rpcs.Blocking("GetOrganization", *this, &OrganizationHandler::GetOrganization);
  rpcs.Blocking("ListOrganizations", *this, &OrganizationHandler::ListOrganizations);
  rpcs.Blocking("CreateMember", *this, &OrganizationHandler::CreateMember);
  rpcs.Blocking("UpdateMember", *this, &OrganizationHandler::UpdateMember);
  rpcs.Blocking("TransferMember", *this, &OrganizationHandler::TransferMember);
  rpcs.Blocking("GetMember", *this, &OrganizationHandler::GetMember);
  rpcs.Blocking("ListMembers", *this, &OrganizationHandler::ListMembers);
  rpcs.ClientStream<v1::ImportRosterRequest, v1::ImportRosterResponse>(
      "ImportRoster", [this](grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                             const auth::MethodPolicy& policy) {
        return new RosterImportReactor(context, response, importer_, runner_, policy,
                                       import_slots_);
      });
}

absl::Status OrganizationHandler::CreateOrganization(const call::CallContext& call,
                                                     const v1::CreateOrganizationRequest& request,
                                                     v1::Organization* response) const {
  return Respond(organizations_.Create(call, OrganizationFromProto(request.organization())),
                 response);
}

absl::Status OrganizationHandler::UpdateOrganization(const call::CallContext& call,
                                                     const v1::UpdateOrganizationRequest& request,
                                                     v1::Organization* response) const {
  return Respond(organizations_.Update(call, OrganizationFromProto(request.organization()),
                                       request.expected_version()),
                 response);
}

absl::Status OrganizationHandler::MoveOrganization(const call::CallContext& call,
                                                   const v1::MoveOrganizationRequest& request,
                                                   v1::Organization* response) const {
  return Respond(organizations_.Move(call, request.organization_id(), request.new_parent_id(),
                                     request.expected_version()),
                 response);
}

absl::Status OrganizationHandler::CloseOrganization(const call::CallContext& call,
                                                    const v1::CloseOrganizationRequest& request,
                                                    v1::Organization* response) const {
  return Respond(organizations_.Close(call, request.organization_id(), request.expected_version()),
                 response);
}

absl::Status OrganizationHandler::GetOrganization(const call::CallContext& call,
                                                  const v1::GetOrganizationRequest& request,
                                                  v1::Organization* response) const {
  return Respond(organizations_.Get(call, request.organization_id()), response);
}

absl::Status OrganizationHandler::ListOrganizations(const call::CallContext& call,
                                                    const v1::ListOrganizationsRequest& request,
                                                    v1::ListOrganizationsResponse* response) const {
  ListOrganizationsInput input;
  input.parent_id = request.parent_id();
  input.recursive = request.recursive();
  input.include_closed = request.include_closed();
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  input.code = request.code();
  const absl::StatusOr<OrganizationPage> page = organizations_.List(call, input);
  if (!page.ok()) return page.status();
  for (const Organization& organization : page->organizations) {
    ToProto(organization, response->add_organizations());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status OrganizationHandler::CreateMember(const call::CallContext& call,
                                               const v1::CreateMemberRequest& request,
                                               v1::Member* response) const {
  return Respond(members_.Create(call, MemberFromProto(request.member())), response);
}

absl::Status OrganizationHandler::UpdateMember(const call::CallContext& call,
                                               const v1::UpdateMemberRequest& request,
                                               v1::Member* response) const {
  return Respond(
      members_.Update(call, MemberFromProto(request.member()), request.expected_version()),
      response);
}

absl::Status OrganizationHandler::TransferMember(const call::CallContext& call,
                                                 const v1::TransferMemberRequest& request,
                                                 v1::Member* response) const {
  const std::optional<absl::CivilDay> effective =
      request.has_effective_date() ? grpc_util::DayFromProto(request.effective_date())
                                   : std::nullopt;
  return Respond(members_.Transfer(call, request.member_id(), request.target_organization_id(),
                                   effective, request.expected_version()),
                 response);
}

absl::Status OrganizationHandler::GetMember(const call::CallContext& call,
                                            const v1::GetMemberRequest& request,
                                            v1::Member* response) const {
  return Respond(members_.Get(call, request.member_id()), response);
}

absl::Status OrganizationHandler::ListMembers(const call::CallContext& call,
                                              const v1::ListMembersRequest& request,
                                              v1::ListMembersResponse* response) const {
  ListMembersInput input;
  input.organization_id = request.organization_id();
  input.query = request.query();
  input.category = request.category();
  input.status = request.status();
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<MemberPage> page = members_.List(call, input);
  if (!page.ok()) return page.status();
  for (const Member& member : page->members) ToProto(member, response->add_members());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace lms::organization
