#pragma once

#include "absl/status/statusor.h"
#include "common/auth/access_token.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"
#include "common/auth/session_revocations.h"

namespace grpc {
class ServerContextBase;
}

namespace lms::auth {

// The metadata key a kiosk sends its own access token under while a member's kiosk
// session (KioskMemberSignIn) is in `authorization`: the member's session is bound to the
// device and refused without the device's credentials.
inline constexpr char kKioskAuthorizationHeader[] = "lms-kiosk-authorization";

// The one place every call is authenticated and checked against its RPC's role policy,
// before any handler logic runs. Reads `authorization: Bearer <access token>`.
//   no, forged, expired or revoked credentials on a non-public RPC  -> UNAUTHENTICATED
//   a member's kiosk session without that kiosk's own valid token   -> UNAUTHENTICATED
//   a role the policy does not list, or a kiosk session where the
//   policy does not allow one                                       -> PERMISSION_DENIED
// The organisation-subtree half (ScopeChecker) follows in UnaryCallRunner, on a worker.
// Thread-safe.
class Authorizer {
 public:
  // `allow_development_tokens`: accept tokens without a session (lms-token's, never
  // revocable) — only on a server started with --allow_development_tokens.
  Authorizer(const AccessTokenVerifier& verifier, const SessionRevocations& revocations,
             bool allow_development_tokens)
      : verifier_(verifier),
        revocations_(revocations),
        allow_development_tokens_(allow_development_tokens) {}

  // The verified caller; for a public RPC without credentials, a Caller with Role::kNone.
  [[nodiscard]] absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase& context,
                                                 const MethodPolicy& policy) const;

 private:
  // Verifies a `Bearer` header value: signature, expiry, revocation.
  absl::StatusOr<Caller> VerifyBearer(absl::string_view header) const;
  absl::Status CheckKioskBinding(const grpc::ServerContextBase& context,
                                 const Caller& caller) const;

  const AccessTokenVerifier& verifier_;
  const SessionRevocations& revocations_;
  const bool allow_development_tokens_;
};

}  // namespace lms::auth
