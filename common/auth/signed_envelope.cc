#include "common/auth/signed_envelope.h"

#include <sodium.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lms::auth {
namespace {

struct Parts {
  std::string payload;
  std::string signature;
};

std::optional<Parts> Split(const EnvelopeKind& kind, absl::string_view text) {
  if (text.size() > kind.max_length || !absl::ConsumePrefix(&text, kind.version)) {
    return std::nullopt;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 2) return std::nullopt;
  Parts split;
  if (!absl::WebSafeBase64Unescape(parts[0], &split.payload) ||
      !absl::WebSafeBase64Unescape(parts[1], &split.signature) ||
      split.signature.size() != crypto_sign_BYTES) {
    return std::nullopt;
  }
  return split;
}

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string SealEnvelope(const EnvelopeKind& kind, absl::string_view payload,
                         absl::string_view secret_key) {
  const std::string message = absl::StrCat(kind.domain, payload);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, Bytes(message), message.size(), Bytes(secret_key));
  return absl::StrCat(kind.version, absl::WebSafeBase64Escape(payload), ".",
                      absl::WebSafeBase64Escape(absl::string_view(
                          reinterpret_cast<const char*>(signature), sizeof(signature))));
}

std::optional<std::string> OpenEnvelope(const EnvelopeKind& kind, absl::string_view text,
                                        absl::string_view public_key) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
  std::optional<Parts> parts = Split(kind, text);
  if (!parts.has_value()) return std::nullopt;
  const std::string message = absl::StrCat(kind.domain, parts->payload);
  if (crypto_sign_verify_detached(Bytes(parts->signature), Bytes(message), message.size(),
                                  Bytes(public_key)) != 0) {
    return std::nullopt;
  }
  return std::move(parts->payload);
}

std::optional<std::string> PeekEnvelope(const EnvelopeKind& kind, absl::string_view text) {
  std::optional<Parts> parts = Split(kind, text);
  if (!parts.has_value()) return std::nullopt;
  return std::move(parts->payload);
}

}  // namespace lms::auth
