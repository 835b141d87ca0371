#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace lms::auth {

// The signed text format shared by access tokens, kiosk tickets and phone identifications:
// `<version><payload>.<signature>`, both parts base64url without padding, the signature
// Ed25519 over `<domain><payload bytes>`. The domain separates the kinds: a signature made
// for one never verifies as another. The algorithm is fixed; the text cannot choose it.
struct EnvelopeKind {
  absl::string_view version;  // "v1.", "kt1.", "pi1."
  absl::string_view domain;   // "lms-access-v1.", ...
  // Longer texts are refused before any decoding: bounds the work a caller can cause.
  size_t max_length = 2048;
};

// Seals `payload` with a crypto_sign secret key.
[[nodiscard]] std::string SealEnvelope(const EnvelopeKind& kind, absl::string_view payload,
                                       absl::string_view secret_key);

// The payload bytes if `text` is an envelope of `kind` signed by `public_key`; nullopt for
// anything else (too long, malformed, another kind, a bad signature, a key of the wrong
// size).
[[nodiscard]] std::optional<std::string> OpenEnvelope(const EnvelopeKind& kind,
                                                      absl::string_view text,
                                                      absl::string_view public_key);

// The payload of an envelope of `kind`, unverified: to learn which key to verify it with
// (a phone identification names its key). Never trust it before OpenEnvelope.
[[nodiscard]] std::optional<std::string> PeekEnvelope(const EnvelopeKind& kind,
                                                      absl::string_view text);

}  // namespace lms::auth
