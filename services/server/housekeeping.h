#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"

namespace lms::server {

// How long rows that only serve a purpose for a while are kept.
struct RetentionConfig {
  // Request ids: a retry later than this is treated as new. Kiosks may sync after weeks
  // offline, so this is long.
  absl::Duration request_log = absl::Hours(24 * 30);
  // Sessions and refresh tokens past their expiry (revoked ones too, once no access token
  // naming them can still be alive).
  absl::Duration expired_sessions = absl::Hours(24);
  // Used or expired activation codes.
  absl::Duration activation_codes = absl::Hours(24 * 30);
};

// Deletes rows that have outlived their purpose: old request-log entries, expired
// sessions and refresh tokens, stale sign-in throttle records, old activation codes. Works
// in batches of a few thousand rows so no delete holds locks for long; running it in
// several replicas at once is harmless. Thread-safe.
class Housekeeping {
 public:
  Housekeeping(db::ConnectionPool& pool, RetentionConfig config) : pool_(pool), config_(config) {}

  // One pass as of `now`; returns the number of rows deleted.
  [[nodiscard]] absl::StatusOr<int64_t> RunOnce(absl::Time now) const;

 private:
  db::ConnectionPool& pool_;
  const RetentionConfig config_;
};

}  // namespace lms::server
