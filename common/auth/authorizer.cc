#include "common/auth/authorizer.h"

#include <grpcpp/server_context.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lms::auth {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

std::optional<absl::string_view> Header(const grpc::ServerContextBase& context,
                                        absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return std::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<Caller> Authorizer::VerifyBearer(absl::string_view header) const {
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    return absl::UnauthenticatedError("authorization must be `Bearer <access token>`");
  }
  absl::StatusOr<Caller> caller = verifier_.Verify(header.substr(kBearer.size()));
  if (!caller.ok()) return caller.status();
  // Tokens without a session (development tokens from lms-token) cannot be revoked: only a
  // server started for development accepts them.
  if (caller->session_id.empty() && !allow_development_tokens_) {
    return absl::UnauthenticatedError(
        "a token without a session is accepted only by a development server: sign in");
  }
  int64_t session_id = 0;
  if (!caller->session_id.empty() && absl::SimpleAtoi(caller->session_id, &session_id) &&
      revocations_.IsRevoked(session_id)) {
    return absl::UnauthenticatedError("the session has ended: sign in again");
  }
  return caller;
}

absl::Status Authorizer::CheckKioskBinding(const grpc::ServerContextBase& context,
                                           const Caller& caller) const {
  const std::optional<absl::string_view> header = Header(context, kKioskAuthorizationHeader);
  if (!header.has_value()) {
    return absl::UnauthenticatedError(
        absl::StrCat("a kiosk session is valid only with its kiosk's token in `",
                     kKioskAuthorizationHeader, "`"));
  }
  const absl::StatusOr<Caller> kiosk = VerifyBearer(*header);
  if (!kiosk.ok() || kiosk->role != Role::kKiosk || kiosk->kiosk_id != caller.kiosk_id) {
    return absl::UnauthenticatedError("this session belongs to another kiosk");
  }
  return absl::OkStatus();
}

absl::StatusOr<Caller> Authorizer::Authorize(const grpc::ServerContextBase& context,
                                             const MethodPolicy& policy) const {
  const std::optional<absl::string_view> header = Header(context, "authorization");
  // A public RPC (signing in) ignores stale or foreign credentials rather than refusing.
  if (policy.is_public) {
    if (!header.has_value()) return Caller{};
    absl::StatusOr<Caller> caller = VerifyBearer(*header);
    return caller.ok() ? *std::move(caller) : Caller{};
  }
  if (!header.has_value()) {
    return absl::UnauthenticatedError("missing `authorization: Bearer <access token>`");
  }
  absl::StatusOr<Caller> caller = VerifyBearer(*header);
  if (!caller.ok()) return caller.status();
  if (caller->role == Role::kMember && caller->kiosk_id != 0) {
    if (absl::Status bound = CheckKioskBinding(context, *caller); !bound.ok()) return bound;
    if (!policy.kiosk_member_sessions) {
      return absl::PermissionDeniedError(
          absl::StrCat(policy.full_name, " is not available in a kiosk session"));
    }
  }
  if (!policy.Allows(caller->role)) {
    return absl::PermissionDeniedError(absl::StrCat("this role may not call ", policy.full_name));
  }
  return caller;
}

}  // namespace lms::auth
