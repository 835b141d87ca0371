#include "services/identity/password_hasher.h"

#include <sodium.h>

#include <cstdlib>

namespace lms::identity {

PasswordHasher::PasswordHasher(HashPolicy policy, std::atomic<int64_t>& computations)
    : policy_(policy), computations_(computations) {
  if (sodium_init() < 0) std::abort();
  char decoy[crypto_pwhash_STRBYTES];
  const char kDecoySecret[] = "decoy: never a real password";
  if (crypto_pwhash_str_alg(decoy, kDecoySecret, sizeof(kDecoySecret) - 1, policy_.passes,
                            policy_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    std::abort();  // Out of memory at start-up: nothing sensible to do.
  }
  decoy_hash_ = decoy;
}

absl::StatusOr<std::string> PasswordHasher::Hash(const HashPermit& /*permit*/,
                                                 absl::string_view secret) const {
  computations_.fetch_add(1, std::memory_order_relaxed);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), policy_.passes, policy_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash a password");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(const HashPermit& /*permit*/, const std::string& hash,
                            absl::string_view secret) const {
  computations_.fetch_add(1, std::memory_order_relaxed);
  const std::string& against = hash.empty() ? decoy_hash_ : hash;
  const bool match = crypto_pwhash_str_verify(against.c_str(), secret.data(), secret.size()) == 0;
  return match && !hash.empty();
}

bool PasswordHasher::NeedsRehash(const std::string& hash) const {
  return crypto_pwhash_str_needs_rehash(hash.c_str(), policy_.passes, policy_.memory_bytes) != 0;
}

}  // namespace lms::identity
