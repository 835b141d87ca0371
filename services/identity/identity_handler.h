#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/identity.pb.h"
#include "services/identity/admin_grant_service.h"
#include "services/identity/device_key_service.h"
#include "services/identity/identity_service.h"
#include "services/identity/kiosk_service.h"

namespace lms::identity {

// gRPC glue for lms.v1.IdentityService: proto in, domain call, proto out, all on the
// worker pool (database and password hashing). Thread-safe.
class IdentityHandler final {
 public:
  IdentityHandler(const IdentityService& identity, const KioskService& kiosks,
                  const AdminGrantService& grants, const DeviceKeyService& device_keys)
      : identity_(identity), kiosks_(kiosks), grants_(grants), device_keys_(device_keys) {}

  // Binds every RPC of lms.v1.IdentityService to the functions below.
  // The RPCs that hash passwords or PINs run on `hashing`, the rest on the shared workers.
  void Bind(grpc_util::RpcService& rpcs, grpc_util::WorkerPool& hashing) const;

  absl::Status SignIn(const call::CallContext& call, const v1::SignInRequest& request,
                      v1::Session* response) const;
  absl::Status Activate(const call::CallContext& call, const v1::ActivateRequest& request,
                        v1::Session* response) const;
  absl::Status RefreshSession(const call::CallContext& call,
                              const v1::RefreshSessionRequest& request,
                              v1::Session* response) const;
  absl::Status SignOut(const call::CallContext& call, const v1::SignOutRequest& request,
                       v1::SignOutResponse* response) const;
  absl::Status ChangePassword(const call::CallContext& call,
                              const v1::ChangePasswordRequest& request,
                              v1::ChangePasswordResponse* response) const;
  absl::Status IssueActivationCode(const call::CallContext& call,
                                   const v1::IssueActivationCodeRequest& request,
                                   v1::ActivationCode* response) const;
  absl::Status WhoAmI(const call::CallContext& call, const v1::WhoAmIRequest& request,
                      v1::Caller* response) const;
  absl::Status RegisterKiosk(const call::CallContext& call, const v1::RegisterKioskRequest& request,
                             v1::KioskRegistration* response) const;
  absl::Status RevokeKiosk(const call::CallContext& call, const v1::RevokeKioskRequest& request,
                           v1::RevokeKioskResponse* response) const;
  absl::Status KioskSignIn(const call::CallContext& call, const v1::KioskSignInRequest& request,
                           v1::Session* response) const;
  absl::Status KioskMemberSignIn(const call::CallContext& call,
                                 const v1::KioskMemberSignInRequest& request,
                                 v1::Session* response) const;
  absl::Status SetKioskPin(const call::CallContext& call, const v1::SetKioskPinRequest& request,
                           v1::SetKioskPinResponse* response) const;
  absl::Status UnlockKiosk(const call::CallContext& call, const v1::UnlockKioskRequest& request,
                           v1::KioskDetails* response) const;
  absl::Status AddKioskServedOrganization(const call::CallContext& call,
                                          const v1::ChangeKioskServedOrganizationRequest& request,
                                          v1::KioskDetails* response) const;
  absl::Status RemoveKioskServedOrganization(
      const call::CallContext& call, const v1::ChangeKioskServedOrganizationRequest& request,
      v1::KioskDetails* response) const;
  absl::Status GetKiosk(const call::CallContext& call, const v1::GetKioskRequest& request,
                        v1::KioskDetails* response) const;
  absl::Status GrantAdminRole(const call::CallContext& call,
                              const v1::GrantAdminRoleRequest& request,
                              v1::AdminGrant* response) const;
  absl::Status RevokeAdminRole(const call::CallContext& call,
                               const v1::RevokeAdminRoleRequest& request,
                               v1::RevokeAdminRoleResponse* response) const;
  absl::Status ListAdminGrants(const call::CallContext& call,
                               const v1::ListAdminGrantsRequest& request,
                               v1::ListAdminGrantsResponse* response) const;
  absl::Status RegisterDeviceKey(const call::CallContext& call,
                                 const v1::RegisterDeviceKeyRequest& request,
                                 v1::DeviceKey* response) const;
  absl::Status RevokeDeviceKey(const call::CallContext& call,
                               const v1::RevokeDeviceKeyRequest& request,
                               v1::DeviceKey* response) const;
  absl::Status ListDeviceKeys(const call::CallContext& call,
                              const v1::ListDeviceKeysRequest& request,
                              v1::ListDeviceKeysResponse* response) const;

 private:
  const IdentityService& identity_;
  const KioskService& kiosks_;
  const AdminGrantService& grants_;
  const DeviceKeyService& device_keys_;
};

}  // namespace lms::identity
