#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/identity/hash_admission.h"

namespace lms::identity {

// The Argon2id cost of new hashes. The floor is OWASP's: 19 MiB and 2 passes. Stored
// hashes carry their own cost; one below the current policy is re-hashed at the next
// successful sign-in.
struct HashPolicy {
  uint64_t passes = 2;
  size_t memory_bytes = size_t{19} << 20;
};

// Hashes and verifies secrets (passwords, kiosk PINs) with Argon2id through libsodium.
// Each computation takes `memory_bytes` and a core for tens of milliseconds, so each asks
// for a HashPermit: HashAdmission bounds how many run at once. Secrets are never logged
// or kept. Thread-safe.
class PasswordHasher {
 public:
  // `computations` counts every hash computed (decoys included).
  PasswordHasher(HashPolicy policy, std::atomic<int64_t>& computations);

  // The libsodium `$argon2id$...` string for `secret`.
  [[nodiscard]] absl::StatusOr<std::string> Hash(const HashPermit& permit,
                                                 absl::string_view secret) const;
  // Whether `secret` matches `hash`. With an empty `hash` (unknown account) it verifies
  // against a fixed decoy so that the answer takes as long as for a real one.
  [[nodiscard]] bool Verify(const HashPermit& permit, const std::string& hash,
                            absl::string_view secret) const;
  // Whether `hash` was made with less than the current policy.
  [[nodiscard]] bool NeedsRehash(const std::string& hash) const;

 private:
  const HashPolicy policy_;
  std::atomic<int64_t>& computations_;
  std::string decoy_hash_;
};

}  // namespace lms::identity
