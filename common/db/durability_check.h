#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"

namespace lms::db {

// Whether the database makes an acknowledged commit survive a crash:
// innodb_flush_log_at_trx_commit = 1, and sync_binlog = 1 when the binary log is on.
// FAILED_PRECONDITION naming the setting otherwise; UNAVAILABLE if it cannot be asked.
[[nodiscard]] absl::Status CheckDurability(ConnectionPool& pool, absl::Time deadline);

}  // namespace lms::db
