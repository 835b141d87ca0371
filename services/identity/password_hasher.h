#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::identity {

// The Argon2id cost of new hashes. The floor is OWASP's: 19 MiB and 2 passes. Stored
// hashes carry their own cost; one below the current policy is re-hashed at the next
// successful sign-in.
struct HashPolicy {
  uint64_t passes = 2;
  size_t memory_bytes = size_t{19} << 20;
};

// Hashes and verifies secrets (passwords, kiosk PINs) with Argon2id through libsodium.
// Each computation takes `memory_bytes` and a core for tens of milliseconds, so at most
// `max_concurrent` run at once (the core count by default); a caller waits for a slot
// until its deadline, then gets UNAVAILABLE. Secrets are never logged or kept.
// Thread-safe.
class PasswordHasher {
 public:
  PasswordHasher(HashPolicy policy, int max_concurrent);

  // The libsodium `$argon2id$...` string for `secret`.
  [[nodiscard]] absl::StatusOr<std::string> Hash(absl::string_view secret,
                                                 absl::Time deadline) const;
  // Whether `secret` matches `hash`. With an empty `hash` (unknown account) it verifies
  // against a fixed decoy so that the answer takes as long as for a real one.
  [[nodiscard]] absl::StatusOr<bool> Verify(const std::string& hash, absl::string_view secret,
                                            absl::Time deadline) const;
  // Whether `hash` was made with less than the current policy.
  [[nodiscard]] bool NeedsRehash(const std::string& hash) const;

 private:
  // Waits for one of the slots; false when the deadline passed first.
  bool Acquire(absl::Time deadline) const;
  void Release() const;

  const HashPolicy policy_;
  const int max_concurrent_;
  std::string decoy_hash_;
  mutable absl::Mutex mu_;
  mutable int running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lms::identity
