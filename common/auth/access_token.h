#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/kiosk_ticket.h"
#include "common/time/clock.h"

namespace lms::auth {

// An Ed25519 key pair for access tokens. Only the identity service holds the secret key;
// every other service needs the public key alone.
struct TokenKeys {
  std::string public_key;  // crypto_sign_PUBLICKEYBYTES raw bytes
  std::string secret_key;  // crypto_sign_SECRETKEYBYTES raw bytes; empty for verifiers

  static TokenKeys Generate();
  // Key files hold base64; `secret_path` may be empty for a verifier.
  static absl::StatusOr<TokenKeys> Load(const std::string& public_path,
                                        const std::string& secret_path);
  absl::Status Save(const std::string& public_path, const std::string& secret_path) const;
};

// Issues access tokens `v1.<claims>.<signature>` (see proto/lms/v1/token.proto).
// Thread-safe (immutable).
class AccessTokenSigner {
 public:
  AccessTokenSigner(TokenKeys keys, const Clock& clock);
  [[nodiscard]] std::string Sign(const Caller& caller, absl::Duration lifetime) const;
  // Kiosk tickets are sealed with the same key (their own signing domain): every service
  // that verifies tokens can verify them.
  [[nodiscard]] std::string Seal(const KioskTicket& ticket) const {
    return SealKioskTicket(ticket, keys_.secret_key);
  }

 private:
  TokenKeys keys_;
  const Clock& clock_;
};

// Verifies access tokens: the fixed algorithm (Ed25519), the signature, and expiry.
// A verified token is cached until it expires (a signature check costs ~50 us, more than
// the rest of a catalogue read), so a token is checked once per process, not per call.
// Thread-safe.
class AccessTokenVerifier {
 public:
  // Tokens issued for longer than `max_lifetime` are refused: a leaked signing key or a
  // misconfigured signer must not mint week-long tokens that outlive every revocation.
  AccessTokenVerifier(std::string public_key, const Clock& clock, absl::Duration max_lifetime);

  // UNAUTHENTICATED for a malformed, forged, expired or over-long token.
  [[nodiscard]] absl::StatusOr<Caller> Verify(absl::string_view token) const;

 private:
  absl::StatusOr<Caller> VerifyUncached(absl::string_view token) const;

  static constexpr int kShards = 16;
  static constexpr size_t kMaxEntriesPerShard = 8192;
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Caller> verified ABSL_GUARDED_BY(mu);
  };

  const std::string public_key_;
  const Clock& clock_;
  const absl::Duration max_lifetime_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace lms::auth
