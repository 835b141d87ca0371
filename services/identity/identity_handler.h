#pragma once

#include "common/grpc/raw_service.h"
#include "common/grpc/unary_call.h"
#include "lms/v1/identity.grpc.pb.h"
#include "services/identity/admin_grant_service.h"
#include "services/identity/identity_service.h"
#include "services/identity/kiosk_service.h"

namespace lms::identity {

// Every method of lms.v1.IdentityService, taking raw buffers so that UnaryCallRunner
// decodes requests itself (see DecodeRequest).
using RawIdentityService =
    grpc_util::RawMethods<v1::IdentityService::Service,
                          v1::IdentityService::WithRawCallbackMethod_SignIn,
                          v1::IdentityService::WithRawCallbackMethod_Activate,
                          v1::IdentityService::WithRawCallbackMethod_RefreshSession,
                          v1::IdentityService::WithRawCallbackMethod_SignOut,
                          v1::IdentityService::WithRawCallbackMethod_ChangePassword,
                          v1::IdentityService::WithRawCallbackMethod_IssueActivationCode,
                          v1::IdentityService::WithRawCallbackMethod_WhoAmI,
                          v1::IdentityService::WithRawCallbackMethod_RegisterKiosk,
                          v1::IdentityService::WithRawCallbackMethod_RevokeKiosk,
                          v1::IdentityService::WithRawCallbackMethod_KioskSignIn,
                          v1::IdentityService::WithRawCallbackMethod_KioskMemberSignIn,
                          v1::IdentityService::WithRawCallbackMethod_SetKioskPin,
                          v1::IdentityService::WithRawCallbackMethod_GrantAdminRole,
                          v1::IdentityService::WithRawCallbackMethod_RevokeAdminRole,
                          v1::IdentityService::WithRawCallbackMethod_ListAdminGrants>::type;

// gRPC glue for lms.v1.IdentityService: decode, authorize, dispatch to the identity and
// kiosk services on the worker pool (database and password hashing), encode.
// Thread-safe.
class IdentityHandler final : public RawIdentityService {
 public:
  IdentityHandler(const IdentityService& identity, const KioskService& kiosks,
                  const AdminGrantService& grants, const grpc_util::UnaryCallRunner& runner);

#define LMS_RAW_UNARY(Method)                                                                   \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                        \
                                   const grpc::ByteBuffer* request, grpc::ByteBuffer* response) \
      override;
  LMS_RAW_UNARY(SignIn)
  LMS_RAW_UNARY(Activate)
  LMS_RAW_UNARY(RefreshSession)
  LMS_RAW_UNARY(SignOut)
  LMS_RAW_UNARY(ChangePassword)
  LMS_RAW_UNARY(IssueActivationCode)
  LMS_RAW_UNARY(WhoAmI)
  LMS_RAW_UNARY(RegisterKiosk)
  LMS_RAW_UNARY(RevokeKiosk)
  LMS_RAW_UNARY(KioskSignIn)
  LMS_RAW_UNARY(KioskMemberSignIn)
  LMS_RAW_UNARY(SetKioskPin)
  LMS_RAW_UNARY(GrantAdminRole)
  LMS_RAW_UNARY(RevokeAdminRole)
  LMS_RAW_UNARY(ListAdminGrants)
#undef LMS_RAW_UNARY

 private:
  const IdentityService& identity_;
  const KioskService& kiosks_;
  const AdminGrantService& grants_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy sign_in_;
  const auth::MethodPolicy activate_;
  const auth::MethodPolicy refresh_session_;
  const auth::MethodPolicy sign_out_;
  const auth::MethodPolicy change_password_;
  const auth::MethodPolicy issue_activation_code_;
  const auth::MethodPolicy who_am_i_;
  const auth::MethodPolicy register_kiosk_;
  const auth::MethodPolicy revoke_kiosk_;
  const auth::MethodPolicy kiosk_sign_in_;
  const auth::MethodPolicy kiosk_member_sign_in_;
  const auth::MethodPolicy set_kiosk_pin_;
  const auth::MethodPolicy grant_admin_role_;
  const auth::MethodPolicy revoke_admin_role_;
  const auth::MethodPolicy list_admin_grants_;
};

}  // namespace lms::identity
