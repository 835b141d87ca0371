#include "services/identity/password_hasher.h"

#include <sodium.h>

#include <thread>

#include "absl/time/clock.h"

namespace lms::identity {
namespace {

absl::Status Busy() {
  return absl::UnavailableError("sign-in is busy: too many password checks at once; retry");
}

}  // namespace

PasswordHasher::PasswordHasher(HashPolicy policy, int max_concurrent)
    : policy_(policy),
      max_concurrent_(max_concurrent > 0
                          ? max_concurrent
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))) {
  if (sodium_init() < 0) std::abort();
  char decoy[crypto_pwhash_STRBYTES];
  const char kDecoySecret[] = "decoy: never a real password";
  if (crypto_pwhash_str_alg(decoy, kDecoySecret, sizeof(kDecoySecret) - 1, policy_.passes,
                            policy_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    std::abort();  // Out of memory at start-up: nothing sensible to do.
  }
  decoy_hash_ = decoy;
}

bool PasswordHasher::Acquire(absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  const auto has_slot = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return running_ < max_concurrent_;
  };
  if (!mu_.AwaitWithDeadline(absl::Condition(&has_slot), deadline)) return false;
  ++running_;
  return true;
}

void PasswordHasher::Release() const {
  absl::MutexLock lock(&mu_);
  --running_;
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view secret,
                                                 absl::Time deadline) const {
  if (!Acquire(deadline)) return Busy();
  char out[crypto_pwhash_STRBYTES];
  const int result = crypto_pwhash_str_alg(out, secret.data(), secret.size(), policy_.passes,
                                           policy_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13);
  Release();
  if (result != 0) return absl::ResourceExhaustedError("not enough memory to hash a password");
  return std::string(out);
}

absl::StatusOr<bool> PasswordHasher::Verify(const std::string& hash, absl::string_view secret,
                                            absl::Time deadline) const {
  if (!Acquire(deadline)) return Busy();
  const std::string& against = hash.empty() ? decoy_hash_ : hash;
  const bool match = crypto_pwhash_str_verify(against.c_str(), secret.data(), secret.size()) == 0;
  Release();
  return match && !hash.empty();
}

bool PasswordHasher::NeedsRehash(const std::string& hash) const {
  return crypto_pwhash_str_needs_rehash(hash.c_str(), policy_.passes, policy_.memory_bytes) != 0;
}

}  // namespace lms::identity
