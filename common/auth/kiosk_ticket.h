#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lms::auth {

// Evidence that a member signed in, online, at one kiosk: issued with KioskMemberSignIn,
// kept by the kiosk, and uploaded with what the member studied there during its window
// (README "Offline study: the trust model"). Text form `kt1.…`: lms.v1.KioskTicketClaims
// sealed with the identity service's token key (see signed_envelope.h).
struct KioskTicket {
  std::string ticket_id;
  int64_t member_id = 0;
  int64_t kiosk_id = 0;
  absl::Time issued;
  absl::Time expires;
};

[[nodiscard]] std::string SealKioskTicket(const KioskTicket& ticket, absl::string_view secret_key);

// The ticket, if `text` is one signed by `public_key` (expiry is the caller's business: an
// expired ticket still says where the member was).
[[nodiscard]] std::optional<KioskTicket> OpenKioskTicket(absl::string_view text,
                                                         absl::string_view public_key);

}  // namespace lms::auth
