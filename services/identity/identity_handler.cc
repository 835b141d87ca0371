#include "services/identity/identity_handler.h"

#include "common/grpc/proto_time.h"
#include "common/status/status_macros.h"

namespace lms::identity {
namespace {

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
  if (!issued->kiosk_ticket.empty()) {
    response->set_kiosk_ticket(issued->kiosk_ticket);
    grpc_util::SetTimestamp(issued->kiosk_ticket_expire_time,
                            response->mutable_kiosk_ticket_expire_time());
  }
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

absl::Status Respond(const absl::StatusOr<KioskDetails>& details, v1::KioskDetails* response) {
  if (!details.ok()) return details.status();
  response->set_kiosk_id(details->kiosk.id);
  response->set_organization_id(details->kiosk.organization_id);
  response->set_name(details->kiosk.name);
  response->set_revoked(details->kiosk.revoked);
  for (const int64_t id : details->served_organization_ids) {
    response->add_served_organization_ids(id);
  }
  if (details->member_sign_in_locked_until != absl::InfinitePast()) {
    grpc_util::SetTimestamp(details->member_sign_in_locked_until,
                            response->mutable_member_sign_in_locked_until());
  }
  return absl::OkStatus();
}

void ToProto(const DeviceKeyRecord& key, v1::DeviceKey* proto) {
  proto->set_key_id(key.id);
  proto->set_member_id(key.member_id);
  proto->set_public_key(key.public_key);
  proto->set_name(key.name);
  grpc_util::SetTimestamp(key.register_time, proto->mutable_register_time());
  if (key.revoked()) grpc_util::SetTimestamp(key.revoke_time, proto->mutable_revoke_time());
}

absl::Status Respond(const absl::StatusOr<DeviceKeyRecord>& key, v1::DeviceKey* response) {
  if (key.ok()) ToProto(*key, response);
  return key.status();
}

}  // namespace

void IdentityHandler::Bind(grpc_util::RpcService& rpcs, grpc_util::WorkerPool& hashing) const {
  rpcs.BlockingOn(hashing, "SignIn", *this, &IdentityHandler::SignIn);
  rpcs.BlockingOn(hashing, "Activate", *this, &IdentityHandler::Activate);
  rpcs.Blocking("RefreshSession", *this, &IdentityHandler::RefreshSession);
  rpcs.Blocking("SignOut", *this, &IdentityHandler::SignOut);
  rpcs.BlockingOn(hashing, "ChangePassword", *this, &IdentityHandler::ChangePassword);
  rpcs.Blocking("IssueActivationCode", *this, &IdentityHandler::IssueActivationCode);
  rpcs.Blocking("WhoAmI", *this, &IdentityHandler::WhoAmI);
  rpcs.Blocking("RegisterKiosk", *this, &IdentityHandler::RegisterKiosk);
  rpcs.Blocking("RevokeKiosk", *this, &IdentityHandler::RevokeKiosk);
  rpcs.Blocking("KioskSignIn", *this, &IdentityHandler::KioskSignIn);
  rpcs.BlockingOn(hashing, "KioskMemberSignIn", *this, &IdentityHandler::KioskMemberSignIn);
  rpcs.BlockingOn(hashing, "SetKioskPin", *this, &IdentityHandler::SetKioskPin);
  rpcs.Blocking("UnlockKiosk", *this, &IdentityHandler::UnlockKiosk);
  rpcs.Blocking("AddKioskServedOrganization", *this, &IdentityHandler::AddKioskServedOrganization);
  rpcs.Blocking("RemoveKioskServedOrganization", *this,
                &IdentityHandler::RemoveKioskServedOrganization);
  rpcs.Blocking("GetKiosk", *this, &IdentityHandler::GetKiosk);
  rpcs.Blocking("GrantAdminRole", *this, &IdentityHandler::GrantAdminRole);
  rpcs.Blocking("RevokeAdminRole", *this, &IdentityHandler::RevokeAdminRole);
  rpcs.Blocking("ListAdminGrants", *this, &IdentityHandler::ListAdminGrants);
  rpcs.Blocking("RegisterDeviceKey", *this, &IdentityHandler::RegisterDeviceKey);
  rpcs.Blocking("RevokeDeviceKey", *this, &IdentityHandler::RevokeDeviceKey);
  rpcs.Blocking("ListDeviceKeys", *this, &IdentityHandler::ListDeviceKeys);
}

absl::Status IdentityHandler::SignIn(const call::CallContext& call,
                                     const v1::SignInRequest& request,
                                     v1::Session* response) const {
  return Respond(identity_.SignIn(call, request.login(), request.password(), request.role(),
                                  request.organization_id()),
                 response);
}

absl::Status IdentityHandler::Activate(const call::CallContext& call,
                                       const v1::ActivateRequest& request,
                                       v1::Session* response) const {
  return Respond(
      identity_.Activate(call, request.login(), request.activation_code(), request.new_password()),
      response);
}

absl::Status IdentityHandler::RefreshSession(const call::CallContext& call,
                                             const v1::RefreshSessionRequest& request,
                                             v1::Session* response) const {
  return Respond(identity_.Refresh(call, request.refresh_token()), response);
}

absl::Status IdentityHandler::SignOut(const call::CallContext& call,
                                      const v1::SignOutRequest& request,
                                      v1::SignOutResponse*) const {
  return identity_.SignOut(call, request.everywhere());
}

absl::Status IdentityHandler::ChangePassword(const call::CallContext& call,
                                             const v1::ChangePasswordRequest& request,
                                             v1::ChangePasswordResponse*) const {
  return identity_.ChangePassword(call, request.current_password(), request.new_password());
}

absl::Status IdentityHandler::IssueActivationCode(const call::CallContext& call,
                                                  const v1::IssueActivationCodeRequest& request,
                                                  v1::ActivationCode* response) const {
  const absl::StatusOr<IssuedActivationCode> issued =
      identity_.IssueActivationCode(call, request.member_id());
  if (!issued.ok()) return issued.status();
  response->set_member_id(issued->member_id);
  response->set_code(issued->code);
  grpc_util::SetTimestamp(issued->expire_time, response->mutable_expire_time());
  return absl::OkStatus();
}

absl::Status IdentityHandler::WhoAmI(const call::CallContext& call, const v1::WhoAmIRequest&,
                                     v1::Caller* response) const {
  const absl::StatusOr<IssuedSession> who = identity_.WhoAmI(call);
  if (!who.ok()) return who.status();
  ToProto(*who, response);
  return absl::OkStatus();
}

absl::Status IdentityHandler::RegisterKiosk(const call::CallContext& call,
                                            const v1::RegisterKioskRequest& request,
                                            v1::KioskRegistration* response) const {
  const absl::StatusOr<KioskRegistration> registered =
      kiosks_.Register(call, request.organization_id(), request.name());
  if (!registered.ok()) return registered.status();
  response->set_kiosk_id(registered->kiosk_id);
  response->set_device_credential(registered->device_credential);
  return absl::OkStatus();
}

absl::Status IdentityHandler::RevokeKiosk(const call::CallContext& call,
                                          const v1::RevokeKioskRequest& request,
                                          v1::RevokeKioskResponse*) const {
  return kiosks_.Revoke(call, request.kiosk_id());
}

absl::Status IdentityHandler::KioskSignIn(const call::CallContext& call,
                                          const v1::KioskSignInRequest& request,
                                          v1::Session* response) const {
  return Respond(kiosks_.SignIn(call, request.device_credential()), response);
}

absl::Status IdentityHandler::KioskMemberSignIn(const call::CallContext& call,
                                                const v1::KioskMemberSignInRequest& request,
                                                v1::Session* response) const {
  return Respond(
      kiosks_.MemberSignIn(call, request.member_number(), request.pin(), request.new_pin()),
      response);
}

absl::Status IdentityHandler::SetKioskPin(const call::CallContext& call,
                                          const v1::SetKioskPinRequest& request,
                                          v1::SetKioskPinResponse*) const {
  return kiosks_.SetPin(call, request.pin());
}

absl::Status IdentityHandler::UnlockKiosk(const call::CallContext& call,
                                          const v1::UnlockKioskRequest& request,
                                          v1::KioskDetails* response) const {
  RETURN_IF_ERROR(kiosks_.Unlock(call, request.kiosk_id()));
  return Respond(kiosks_.Get(call, request.kiosk_id()), response);
}

absl::Status IdentityHandler::AddKioskServedOrganization(
    const call::CallContext& call, const v1::ChangeKioskServedOrganizationRequest& request,
    v1::KioskDetails* response) const {
  return Respond(
      kiosks_.ChangeServed(call, request.kiosk_id(), request.organization_id(), /*serve=*/true),
      response);
}

absl::Status IdentityHandler::RemoveKioskServedOrganization(
    const call::CallContext& call, const v1::ChangeKioskServedOrganizationRequest& request,
    v1::KioskDetails* response) const {
  return Respond(
      kiosks_.ChangeServed(call, request.kiosk_id(), request.organization_id(), /*serve=*/false),
      response);
}

absl::Status IdentityHandler::GetKiosk(const call::CallContext& call,
                                       const v1::GetKioskRequest& request,
                                       v1::KioskDetails* response) const {
  return Respond(kiosks_.Get(call, request.kiosk_id()), response);
}

absl::Status IdentityHandler::GrantAdminRole(const call::CallContext& call,
                                             const v1::GrantAdminRoleRequest& request,
                                             v1::AdminGrant* response) const {
  const absl::StatusOr<AdminGrantRecord> grant = grants_.Grant(call, GrantFromProto(request));
  if (grant.ok()) ToProto(*grant, response);
  return grant.status();
}

absl::Status IdentityHandler::RevokeAdminRole(const call::CallContext& call,
                                              const v1::RevokeAdminRoleRequest& request,
                                              v1::RevokeAdminRoleResponse*) const {
  return grants_.Revoke(call, GrantFromProto(request));
}

absl::Status IdentityHandler::ListAdminGrants(const call::CallContext& call,
                                              const v1::ListAdminGrantsRequest& request,
                                              v1::ListAdminGrantsResponse* response) const {
  const absl::StatusOr<std::vector<AdminGrantRecord>> grants =
      grants_.List(call, request.member_id());
  if (!grants.ok()) return grants.status();
  for (const AdminGrantRecord& grant : *grants) ToProto(grant, response->add_grants());
  return absl::OkStatus();
}

absl::Status IdentityHandler::RegisterDeviceKey(const call::CallContext& call,
                                                const v1::RegisterDeviceKeyRequest& request,
                                                v1::DeviceKey* response) const {
  return Respond(device_keys_.Register(call, request.public_key(), request.name()), response);
}

absl::Status IdentityHandler::RevokeDeviceKey(const call::CallContext& call,
                                              const v1::RevokeDeviceKeyRequest& request,
                                              v1::DeviceKey* response) const {
  return Respond(device_keys_.Revoke(call, request.key_id()), response);
}

absl::Status IdentityHandler::ListDeviceKeys(const call::CallContext& call,
                                             const v1::ListDeviceKeysRequest& request,
                                             v1::ListDeviceKeysResponse* response) const {
  const absl::StatusOr<std::vector<DeviceKeyRecord>> keys =
      device_keys_.List(call, request.member_id());
  if (!keys.ok()) return keys.status();
  for (const DeviceKeyRecord& key : *keys) ToProto(key, response->add_keys());
  return absl::OkStatus();
}

}  // namespace lms::identity
