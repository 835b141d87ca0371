#include "common/auth/sign_in_code.h"

#include <sodium.h>

#include <array>

#include "absl/strings/str_format.h"

namespace lms::auth {
namespace {

std::string CodeForCounter(const std::vector<uint8_t>& secret, int64_t counter) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&state, message.data(), message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  // RFC 4226 dynamic truncation.
  const size_t offset = mac[mac.size() - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  return absl::StrFormat("%06u", binary % 1000000u);
}

int64_t CounterAt(absl::Time at) { return absl::ToUnixSeconds(at) / kSignInCodePeriodSeconds; }

}  // namespace

std::vector<uint8_t> NewSignInSecret() {
  std::vector<uint8_t> secret(kSignInSecretBytes);
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string SignInCodeAt(const std::vector<uint8_t>& secret, absl::Time at) {
  return CodeForCounter(secret, CounterAt(at));
}

bool SignInCodeMatches(const std::vector<uint8_t>& secret, absl::string_view code, absl::Time now) {
  if (code.size() != static_cast<size_t>(kSignInCodeDigits)) return false;
  bool matched = false;
  for (const int64_t counter : {CounterAt(now), CounterAt(now) - 1}) {
    const std::string expected = CodeForCounter(secret, counter);
    matched |= sodium_memcmp(expected.data(), code.data(), expected.size()) == 0;
  }
  return matched;
}

}  // namespace lms::auth
