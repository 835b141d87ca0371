#include "common/auth/authorizer.h"

#include <grpcpp/server_context.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lms::auth {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

}  // namespace

absl::StatusOr<Caller> Authorizer::Authorize(const grpc::ServerContextBase& context,
                                             const MethodPolicy& policy) const {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    if (policy.is_public) return Caller{};
    return absl::UnauthenticatedError("missing `authorization: Bearer <access token>`");
  }
  const absl::string_view header(it->second.data(), it->second.size());
  // A public RPC (signing in) ignores stale or foreign credentials rather than refusing.
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    if (policy.is_public) return Caller{};
    return absl::UnauthenticatedError("authorization must be `Bearer <access token>`");
  }
  absl::StatusOr<Caller> caller = verifier_.Verify(header.substr(kBearer.size()));
  if (!caller.ok()) {
    if (policy.is_public) return Caller{};
    return caller.status();
  }
  if (!policy.is_public && !policy.Allows(caller->role)) {
    return absl::PermissionDeniedError(absl::StrCat("this role may not call ", policy.full_name));
  }
  return caller;
}

}  // namespace lms::auth
