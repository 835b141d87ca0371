#include "services/identity/secret_token.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lms::identity {
namespace {

constexpr absl::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols

}  // namespace

std::string NewSecretToken(absl::string_view prefix) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  std::string token =
      absl::StrCat(prefix, absl::WebSafeBase64Escape(absl::string_view(
                               reinterpret_cast<const char*>(bytes), sizeof(bytes))));
  sodium_memzero(bytes, sizeof(bytes));
  return token;
}

std::string SecretDigest(absl::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string NewActivationCode() {
  std::string code;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    code.push_back(kCodeAlphabet[randombytes_uniform(kCodeAlphabet.size())]);
  }
  return code;
}

std::string CanonicalActivationCode(absl::string_view typed) {
  std::string code;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    code.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return code;
}

}  // namespace lms::identity
