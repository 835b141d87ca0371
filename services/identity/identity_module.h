#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "common/auth/access_token.h"
#include "services/identity/admin_grant_service.h"
#include "services/identity/device_key_service.h"
#include "services/identity/identity_handler.h"
#include "services/identity/identity_service.h"
#include "services/identity/kiosk_service.h"
#include "services/identity/password_hasher.h"
#include "services/identity/session_issuer.h"
#include "services/server/service_module.h"

namespace lms::identity {

// The identity service's object graph inside a server. Only a process holding the token
// secret key can host it: it signs every access token.
class IdentityModule final : public server::ServiceModule {
 public:
  // FAILED_PRECONDITION without the secret key (--token_secret_key).
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  // Expired sessions and refresh tokens, stale sign-in throttle records, old activation
  // codes.
  std::vector<server::HousekeepingSweep> housekeeping_sweeps() const override;

 private:
  explicit IdentityModule(server::ServerRuntime& runtime);

  const IdentityConfig config_;
  const auth::AccessTokenSigner signer_;
  const PasswordHasher hasher_;
  HashAdmission admission_;
  // The RPCs that hash run here, not on the shared workers: a sign-in flood is refused at
  // the door (its queue full) and never holds up other RPCs.
  grpc_util::WorkerPool hashing_workers_;
  const SessionIssuer issuer_;
  IdentityService identity_;
  KioskService kiosks_;
  AdminGrantService grants_;
  DeviceKeyService device_keys_;
  IdentityHandler handler_;
  grpc_util::RpcService rpcs_;
};

}  // namespace lms::identity
