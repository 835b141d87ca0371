#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace lms::identity {

// High-entropy bearer secrets the server hands out once (refresh tokens, kiosk device
// credentials): `prefix` + 256 random bits in base64url. They are stored only as their
// SHA-256 digest: a leaked table yields nothing to present, and unlike passwords they
// need no slow hash, since nobody can guess 256 bits.
[[nodiscard]] std::string NewSecretToken(absl::string_view prefix);
// The SHA-256 digest (64 hex characters) under which a secret is stored and looked up.
[[nodiscard]] std::string SecretDigest(absl::string_view secret);
// A code people type (activation codes): 12 characters from an alphabet without look-alike
// characters (no 0/O, 1/I/L), about 60 bits; grouped as XXXX-XXXX-XXXX.
[[nodiscard]] std::string NewActivationCode();
// The canonical form of a typed code: upper case, separators and spaces dropped.
[[nodiscard]] std::string CanonicalActivationCode(absl::string_view typed);

}  // namespace lms::identity
