#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lms::auth {

// "Member M is at kiosk K from `issued` to `expires`", signed on the member's phone with
// its registered key (`key_id`) and scanned by the kiosk, online or not (README "Offline
// study: the trust model"). Text form `pi1.…`: lms.v1.PhoneIdentification sealed with the
// phone's key (see signed_envelope.h). Times are the phone's clock.
struct PhoneIdentification {
  int64_t member_id = 0;
  int64_t kiosk_id = 0;
  int64_t key_id = 0;
  absl::Time issued;
  absl::Time expires;
};

// What a phone does (the kiosk client's phone mode, tests).
[[nodiscard]] std::string SealPhoneIdentification(const PhoneIdentification& identification,
                                                  absl::string_view secret_key);

// What it claims, unverified: which key to verify it with.
[[nodiscard]] std::optional<PhoneIdentification> PeekPhoneIdentification(absl::string_view text);

// The identification, if `text` is one signed by `public_key`.
[[nodiscard]] std::optional<PhoneIdentification> OpenPhoneIdentification(
    absl::string_view text, absl::string_view public_key);

}  // namespace lms::auth
