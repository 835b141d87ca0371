#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lms/v1/identity.grpc.pb.h"
#include "tools/kiosk/kiosk_store.h"

namespace lms::kiosk {

// Prints what failed and why; returns the exit code 1.
int Fail(const std::string& what, const absl::Status& status);
int Fail(const std::string& what, const grpc::Status& status);

// A call context with a 30 s deadline, the caller's token and, for a member session on
// the kiosk, the kiosk's own token.
std::unique_ptr<grpc::ClientContext> Context(const std::string& token,
                                             const std::string& kiosk_token = "");

// The kiosk signs itself in with its stored credential; returns its access token (and
// keeps its id in the store).
absl::StatusOr<std::string> KioskToken(KioskStore& store, v1::IdentityService::Stub& identity);

// A member's PIN sign-in at this kiosk (online): the session, with the member and their
// kiosk ticket kept in the store for offline use. 0 on success, else the exit code.
struct MemberAtKiosk {
  std::string kiosk_token;
  v1::Session session;
  KnownMember member;
};
int SignInMember(KioskStore& store, v1::IdentityService::Stub& identity, const std::string& number,
                 const std::string& pin, MemberAtKiosk& out);

}  // namespace lms::kiosk
