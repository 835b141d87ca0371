#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::db {
class ConnectionPool;
}

namespace lms::auth {

// The sessions revoked recently enough that access tokens naming them may still be
// unexpired. Access tokens are verified without the database, so revocation (sign-out,
// a reused refresh token, a revoked kiosk, a password change) reaches them through this
// list: this process adds what it revokes before answering, and Refresh() picks up what
// other processes revoked (the server calls it every second). Entries are kept for
// `retention`, longer than any access token lives. Thread-safe.
class SessionRevocations {
 public:
  explicit SessionRevocations(absl::Duration retention) : retention_(retention) {}

  [[nodiscard]] bool IsRevoked(int64_t session_id) const;
  void Add(const std::vector<int64_t>& session_ids, absl::Time revoked_at);
  // Loads sessions revoked since the last refresh (with a margin for clock skew between
  // commits) and forgets entries older than the retention.
  [[nodiscard]] absl::Status Refresh(db::ConnectionPool& pool, absl::Time now);

 private:
  const absl::Duration retention_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int64_t, absl::Time> revoked_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace lms::auth
