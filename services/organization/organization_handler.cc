#include "services/organization/organization_handler.h"

#include "common/grpc/proto_time.h"
#include "services/organization/organization_mapping.h"
#include "services/organization/roster_import_reactor.h"

namespace lms::organization {
namespace {

using grpc_util::CallContext;

constexpr absl::string_view kService = "lms.v1.OrganizationService";

absl::Status Respond(const absl::StatusOr<Organization>& organization, v1::Organization* response) {
  if (organization.ok()) ToProto(*organization, response);
  return organization.status();
}

absl::Status Respond(const absl::StatusOr<Member>& member, v1::Member* response) {
  if (member.ok()) ToProto(*member, response);
  return member.status();
}

}  // namespace

OrganizationHandler::OrganizationHandler(const OrganizationService& organizations,
                                         const MemberService& members,
                                         const RosterImporter& importer,
                                         const grpc_util::UnaryCallRunner& runner)
    : organizations_(organizations),
      members_(members),
      importer_(importer),
      runner_(runner),
      create_organization_(auth::RequirePolicy(kService, "CreateOrganization")),
      update_organization_(auth::RequirePolicy(kService, "UpdateOrganization")),
      move_organization_(auth::RequirePolicy(kService, "MoveOrganization")),
      close_organization_(auth::RequirePolicy(kService, "CloseOrganization")),
      get_organization_(auth::RequirePolicy(kService, "GetOrganization")),
      list_organizations_(auth::RequirePolicy(kService, "ListOrganizations")),
      create_member_(auth::RequirePolicy(kService, "CreateMember")),
      update_member_(auth::RequirePolicy(kService, "UpdateMember")),
      transfer_member_(auth::RequirePolicy(kService, "TransferMember")),
      get_member_(auth::RequirePolicy(kService, "GetMember")),
      list_members_(auth::RequirePolicy(kService, "ListMembers")),
      import_roster_(auth::RequirePolicy(kService, "ImportRoster")) {}

grpc::ServerReadReactor<grpc::ByteBuffer>* OrganizationHandler::ImportRoster(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  return new RosterImportReactor(context, response, importer_, runner_, import_roster_);
}

grpc::ServerUnaryReactor* OrganizationHandler::CreateOrganization(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::CreateOrganizationRequest, v1::Organization>(
      context, create_organization_, request, response,
      [this](const CallContext& call, const v1::CreateOrganizationRequest& request,
             v1::Organization* response) {
        return Respond(organizations_.Create(call, request.request_id(),
                                             OrganizationFromProto(request.organization())),
                       response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::UpdateOrganization(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::UpdateOrganizationRequest, v1::Organization>(
      context, update_organization_, request, response,
      [this](const CallContext& call, const v1::UpdateOrganizationRequest& request,
             v1::Organization* response) {
        return Respond(organizations_.Update(call, request.request_id(),
                                             OrganizationFromProto(request.organization()),
                                             request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::MoveOrganization(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::MoveOrganizationRequest, v1::Organization>(
      context, move_organization_, request, response,
      [this](const CallContext& call, const v1::MoveOrganizationRequest& request,
             v1::Organization* response) {
        return Respond(organizations_.Move(call, request.request_id(), request.organization_id(),
                                           request.new_parent_id(), request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::CloseOrganization(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::CloseOrganizationRequest, v1::Organization>(
      context, close_organization_, request, response,
      [this](const CallContext& call, const v1::CloseOrganizationRequest& request,
             v1::Organization* response) {
        return Respond(organizations_.Close(call, request.request_id(), request.organization_id(),
                                            request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::GetOrganization(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::GetOrganizationRequest, v1::Organization>(
      context, get_organization_, request, response,
      [this](const CallContext& call, const v1::GetOrganizationRequest& request,
             v1::Organization* response) {
        return Respond(organizations_.Get(call, request.organization_id()), response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::ListOrganizations(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ListOrganizationsRequest, v1::ListOrganizationsResponse>(
      context, list_organizations_, request, response,
      [this](const CallContext& call, const v1::ListOrganizationsRequest& request,
             v1::ListOrganizationsResponse* response) {
        ListOrganizationsInput input;
        input.parent_id = request.parent_id();
        input.recursive = request.recursive();
        input.include_closed = request.include_closed();
        input.page_size = request.page_size();
        input.page_token = request.page_token();
        const absl::StatusOr<OrganizationPage> page = organizations_.List(call, input);
        if (!page.ok()) return page.status();
        for (const Organization& organization : page->organizations) {
          ToProto(organization, response->add_organizations());
        }
        response->set_next_page_token(page->next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::CreateMember(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::CreateMemberRequest, v1::Member>(
      context, create_member_, request, response,
      [this](const CallContext& call, const v1::CreateMemberRequest& request,
             v1::Member* response) {
        return Respond(
            members_.Create(call, request.request_id(), MemberFromProto(request.member())),
            response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::UpdateMember(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::UpdateMemberRequest, v1::Member>(
      context, update_member_, request, response,
      [this](const CallContext& call, const v1::UpdateMemberRequest& request,
             v1::Member* response) {
        return Respond(
            members_.Update(call, request.request_id(), MemberFromProto(request.member()),
                            request.expected_version()),
            response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::TransferMember(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::TransferMemberRequest, v1::Member>(
      context, transfer_member_, request, response,
      [this](const CallContext& call, const v1::TransferMemberRequest& request,
             v1::Member* response) {
        const std::optional<absl::CivilDay> effective =
            request.has_effective_date() ? grpc_util::DayFromProto(request.effective_date())
                                         : std::nullopt;
        return Respond(members_.Transfer(call, request.request_id(), request.member_id(),
                                         request.target_organization_id(), effective,
                                         request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::GetMember(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::GetMemberRequest, v1::Member>(
      context, get_member_, request, response,
      [this](const CallContext& call, const v1::GetMemberRequest& request, v1::Member* response) {
        return Respond(members_.Get(call, request.member_id()), response);
      });
}

grpc::ServerUnaryReactor* OrganizationHandler::ListMembers(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ListMembersRequest, v1::ListMembersResponse>(
      context, list_members_, request, response,
      [this](const CallContext& call, const v1::ListMembersRequest& request,
             v1::ListMembersResponse* response) {
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
      });
}

}  // namespace lms::organization
