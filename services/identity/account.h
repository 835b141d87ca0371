#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/session_repository.h"

namespace lms::identity {

// What sign-in needs to know about a member: who, where, and their secrets' hashes.
struct Account {
  int64_t member_id = 0;
  std::string name;
  int64_t organization_id = 0;
  bool active = false;
  // Empty until activated.
  std::string password_hash;
  bool must_change_password = false;
  // The digest of the activation code that set the current password; "" when the member
  // set it otherwise.
  std::string password_set_by_code;
  std::string pin_hash;
  // What a guessable PIN would be made of: the member's logins and birth year (0 when
  // unknown).
  std::string member_number;
  std::string phone;
  int birth_year = 0;
};

using auth::RefreshToken;
using auth::Session;

struct Kiosk {
  int64_t id = 0;
  int64_t organization_id = 0;
  std::string name;
  bool revoked = false;
};

// What a successful sign-in hands back: tokens (the refresh token empty for sessions
// that do not refresh) and who signed in.
struct IssuedSession {
  std::string access_token;
  absl::Time access_token_expire_time = absl::InfinitePast();
  std::string refresh_token;
  absl::Time refresh_token_expire_time = absl::InfinitePast();
  auth::Caller caller;
  std::string display_name;
  bool password_change_required = false;
  // KioskMemberSignIn: the ticket for the kiosk's offline uploads, and its end.
  std::string kiosk_ticket;
  absl::Time kiosk_ticket_expire_time = absl::InfinitePast();
};

}  // namespace lms::identity
