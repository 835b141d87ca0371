#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lms::auth {

// The rotating sign-in code of an activity (RFC 6238, HMAC-SHA256): six digits that
// change every 30 seconds, derived from a per-activity secret, so an offline kiosk or a
// projector shows the same code the server checks, and a code passed to someone absent
// is useless a minute later.
inline constexpr int kSignInCodePeriodSeconds = 30;
inline constexpr int kSignInCodeDigits = 6;
inline constexpr size_t kSignInSecretBytes = 32;

// A fresh random secret.
[[nodiscard]] std::vector<uint8_t> NewSignInSecret();

// The code shown at `at`.
[[nodiscard]] std::string SignInCodeAt(const std::vector<uint8_t>& secret, absl::Time at);

// Whether `code` is the one shown at `now` or in the period before it (a member typing
// it as it changes), compared in constant time.
[[nodiscard]] bool SignInCodeMatches(const std::vector<uint8_t>& secret, absl::string_view code,
                                     absl::Time now);

}  // namespace lms::auth
