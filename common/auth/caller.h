#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lms::auth {

// The roles of lms.v1.Role, with the same numbers.
enum class Role : int {
  kNone = 0,
  kMember = 1,
  kKiosk = 2,
  kOrgAdmin = 3,
  kSystemAdmin = 4,
};

// Who is calling, as proven by a verified access token. Passed by value into services;
// immutable once built.
struct Caller {
  Role role = Role::kNone;
  // The member, or 0 for a kiosk acting on its own.
  int64_t member_id = 0;
  // The member's organisation, an admin's subtree root, or a kiosk's organisation.
  int64_t organization_id = 0;
  // The kiosk a session is bound to, or 0.
  int64_t kiosk_id = 0;
  std::string token_id;
  std::string session_id;
  absl::Time expires_at = absl::InfinitePast();

  [[nodiscard]] bool IsAdmin() const {
    return role == Role::kOrgAdmin || role == Role::kSystemAdmin;
  }
};

// The idempotency scope of a retriable mutation: the RPC and who called it, so two
// callers' request ids never collide (request_log.scope).
[[nodiscard]] inline std::string RequestScope(absl::string_view method, const Caller& caller) {
  return absl::StrCat(method, "/", static_cast<int>(caller.role), ":", caller.member_id, ":",
                      caller.kiosk_id);
}

}  // namespace lms::auth
