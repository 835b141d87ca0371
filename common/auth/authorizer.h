#pragma once

#include "absl/status/statusor.h"
#include "common/auth/access_token.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"

namespace grpc {
class ServerContextBase;
}

namespace lms::auth {

// The one place every call is authenticated and checked against its RPC's policy, before
// any handler logic runs. Reads `authorization: Bearer <access token>`.
//   no or bad credentials on a non-public RPC -> UNAUTHENTICATED
//   a role the policy does not list           -> PERMISSION_DENIED
// Object-level rules (subtree, own records) are the services' job on top of this.
// Thread-safe.
class Authorizer {
 public:
  explicit Authorizer(const AccessTokenVerifier& verifier) : verifier_(verifier) {}

  // The verified caller; for a public RPC without credentials, a Caller with Role::kNone.
  [[nodiscard]] absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase& context,
                                                 const MethodPolicy& policy) const;

 private:
  const AccessTokenVerifier& verifier_;
};

}  // namespace lms::auth
