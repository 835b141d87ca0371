#include "services/identity/identity_handler.h"

#include "common/grpc/proto_time.h"

namespace lms::identity {
namespace {

using grpc_util::CallContext;

constexpr absl::string_view kService = "lms.v1.IdentityService";

void ToProto(const IssuedSession& issued, v1::Caller* proto) {
  proto->set_role(static_cast<v1::Role>(issued.caller.role));
  proto->set_member_id(issued.caller.member_id);
  proto->set_organization_id(issued.caller.organization_id);
  proto->set_kiosk_id(issued.caller.kiosk_id);
  proto->set_display_name(issued.display_name);
}

absl::Status Respond(const absl::StatusOr<IssuedSession>& issued, v1::Session* response) {
  if (!issued.ok()) return issued.status();
  response->set_password_change_required(issued->password_change_required);
  if (issued->password_change_required) return absl::OkStatus();
  response->set_access_token(issued->access_token);
  grpc_util::SetTimestamp(issued->access_token_expire_time,
                          response->mutable_access_token_expire_time());
  response->set_refresh_token(issued->refresh_token);
  if (!issued->refresh_token.empty()) {
    grpc_util::SetTimestamp(issued->refresh_token_expire_time,
                            response->mutable_refresh_token_expire_time());
  }
  ToProto(*issued, response->mutable_caller());
  return absl::OkStatus();
}

template <typename Request>
AdminGrantRecord GrantFromProto(const Request& request) {
  return {request.member_id(), static_cast<auth::Role>(request.role()), request.organization_id()};
}

void ToProto(const AdminGrantRecord& grant, v1::AdminGrant* proto) {
  proto->set_member_id(grant.member_id);
  proto->set_role(static_cast<v1::Role>(grant.role));
  proto->set_organization_id(grant.organization_id);
}

}  // namespace

IdentityHandler::IdentityHandler(const IdentityService& identity, const KioskService& kiosks,
                                 const AdminGrantService& grants,
                                 const grpc_util::UnaryCallRunner& runner)
    : identity_(identity),
      kiosks_(kiosks),
      grants_(grants),
      runner_(runner),
      sign_in_(auth::RequirePolicy(kService, "SignIn")),
      activate_(auth::RequirePolicy(kService, "Activate")),
      refresh_session_(auth::RequirePolicy(kService, "RefreshSession")),
      sign_out_(auth::RequirePolicy(kService, "SignOut")),
      change_password_(auth::RequirePolicy(kService, "ChangePassword")),
      issue_activation_code_(auth::RequirePolicy(kService, "IssueActivationCode")),
      who_am_i_(auth::RequirePolicy(kService, "WhoAmI")),
      register_kiosk_(auth::RequirePolicy(kService, "RegisterKiosk")),
      revoke_kiosk_(auth::RequirePolicy(kService, "RevokeKiosk")),
      kiosk_sign_in_(auth::RequirePolicy(kService, "KioskSignIn")),
      kiosk_member_sign_in_(auth::RequirePolicy(kService, "KioskMemberSignIn")),
      set_kiosk_pin_(auth::RequirePolicy(kService, "SetKioskPin")),
      grant_admin_role_(auth::RequirePolicy(kService, "GrantAdminRole")),
      revoke_admin_role_(auth::RequirePolicy(kService, "RevokeAdminRole")),
      list_admin_grants_(auth::RequirePolicy(kService, "ListAdminGrants")) {}

grpc::ServerUnaryReactor* IdentityHandler::SignIn(grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::SignInRequest, v1::Session>(
      context, sign_in_, request, response,
      [this](const CallContext& call, const v1::SignInRequest& request, v1::Session* response) {
        return Respond(identity_.SignIn(call, request.login(), request.password(), request.role(),
                                        request.organization_id()),
                       response);
      });
}

grpc::ServerUnaryReactor* IdentityHandler::Activate(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ActivateRequest, v1::Session>(
      context, activate_, request, response,
      [this](const CallContext& call, const v1::ActivateRequest& request, v1::Session* response) {
        return Respond(identity_.Activate(call, request.login(), request.activation_code(),
                                          request.new_password()),
                       response);
      });
}

grpc::ServerUnaryReactor* IdentityHandler::RefreshSession(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::RefreshSessionRequest, v1::Session>(
      context, refresh_session_, request, response,
      [this](const CallContext& call, const v1::RefreshSessionRequest& request,
             v1::Session* response) {
        return Respond(identity_.Refresh(call, request.refresh_token()), response);
      });
}

grpc::ServerUnaryReactor* IdentityHandler::SignOut(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::SignOutRequest, v1::SignOutResponse>(
      context, sign_out_, request, response,
      [this](const CallContext& call, const v1::SignOutRequest& request, v1::SignOutResponse*) {
        return identity_.SignOut(call, request.everywhere());
      });
}

grpc::ServerUnaryReactor* IdentityHandler::ChangePassword(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ChangePasswordRequest, v1::ChangePasswordResponse>(
      context, change_password_, request, response,
      [this](const CallContext& call, const v1::ChangePasswordRequest& request,
             v1::ChangePasswordResponse*) {
        return identity_.ChangePassword(call, request.current_password(), request.new_password());
      });
}

grpc::ServerUnaryReactor* IdentityHandler::IssueActivationCode(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::IssueActivationCodeRequest, v1::ActivationCode>(
      context, issue_activation_code_, request, response,
      [this](const CallContext& call, const v1::IssueActivationCodeRequest& request,
             v1::ActivationCode* response) {
        const absl::StatusOr<IssuedActivationCode> issued =
            identity_.IssueActivationCode(call, request.request_id(), request.member_id());
        if (!issued.ok()) return issued.status();
        response->set_member_id(issued->member_id);
        response->set_code(issued->code);
        grpc_util::SetTimestamp(issued->expire_time, response->mutable_expire_time());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityHandler::WhoAmI(grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::WhoAmIRequest, v1::Caller>(
      context, who_am_i_, request, response,
      [this](const CallContext& call, const v1::WhoAmIRequest&, v1::Caller* response) {
        const absl::StatusOr<IssuedSession> who = identity_.WhoAmI(call);
        if (!who.ok()) return who.status();
        ToProto(*who, response);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityHandler::RegisterKiosk(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::RegisterKioskRequest, v1::KioskRegistration>(
      context, register_kiosk_, request, response,
      [this](const CallContext& call, const v1::RegisterKioskRequest& request,
             v1::KioskRegistration* response) {
        const absl::StatusOr<KioskRegistration> registered =
            kiosks_.Register(call, request.request_id(), request.organization_id(), request.name());
        if (!registered.ok()) return registered.status();
        response->set_kiosk_id(registered->kiosk_id);
        response->set_device_credential(registered->device_credential);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityHandler::RevokeKiosk(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::RevokeKioskRequest, v1::RevokeKioskResponse>(
      context, revoke_kiosk_, request, response,
      [this](const CallContext& call, const v1::RevokeKioskRequest& request,
             v1::RevokeKioskResponse*) { return kiosks_.Revoke(call, request.kiosk_id()); });
}

grpc::ServerUnaryReactor* IdentityHandler::KioskSignIn(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::KioskSignInRequest, v1::Session>(
      context, kiosk_sign_in_, request, response,
      [this](const CallContext& call, const v1::KioskSignInRequest& request,
             v1::Session* response) {
        return Respond(kiosks_.SignIn(call, request.device_credential()), response);
      });
}

grpc::ServerUnaryReactor* IdentityHandler::KioskMemberSignIn(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::KioskMemberSignInRequest, v1::Session>(
      context, kiosk_member_sign_in_, request, response,
      [this](const CallContext& call, const v1::KioskMemberSignInRequest& request,
             v1::Session* response) {
        return Respond(kiosks_.MemberSignIn(call, request.member_number(), request.pin()),
                       response);
      });
}

grpc::ServerUnaryReactor* IdentityHandler::SetKioskPin(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::SetKioskPinRequest, v1::SetKioskPinResponse>(
      context, set_kiosk_pin_, request, response,
      [this](const CallContext& call, const v1::SetKioskPinRequest& request,
             v1::SetKioskPinResponse*) { return kiosks_.SetPin(call, request.pin()); });
}

grpc::ServerUnaryReactor* IdentityHandler::GrantAdminRole(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::GrantAdminRoleRequest, v1::AdminGrant>(
      context, grant_admin_role_, request, response,
      [this](const CallContext& call, const v1::GrantAdminRoleRequest& request,
             v1::AdminGrant* response) {
        const absl::StatusOr<AdminGrantRecord> grant = grants_.Grant(call, GrantFromProto(request));
        if (grant.ok()) ToProto(*grant, response);
        return grant.status();
      });
}

grpc::ServerUnaryReactor* IdentityHandler::RevokeAdminRole(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::RevokeAdminRoleRequest, v1::RevokeAdminRoleResponse>(
      context, revoke_admin_role_, request, response,
      [this](const CallContext& call, const v1::RevokeAdminRoleRequest& request,
             v1::RevokeAdminRoleResponse*) {
        return grants_.Revoke(call, GrantFromProto(request));
      });
}

grpc::ServerUnaryReactor* IdentityHandler::ListAdminGrants(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ListAdminGrantsRequest, v1::ListAdminGrantsResponse>(
      context, list_admin_grants_, request, response,
      [this](const CallContext& call, const v1::ListAdminGrantsRequest& request,
             v1::ListAdminGrantsResponse* response) {
        const absl::StatusOr<std::vector<AdminGrantRecord>> grants =
            grants_.List(call, request.member_id());
        if (!grants.ok()) return grants.status();
        for (const AdminGrantRecord& grant : *grants) ToProto(grant, response->add_grants());
        return absl::OkStatus();
      });
}

}  // namespace lms::identity
