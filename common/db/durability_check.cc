#include "common/db/durability_check.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::db {
namespace {

constexpr char kSelectSettings[] =
    "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit, @@GLOBAL.log_bin, @@GLOBAL.sync_binlog";

}  // namespace

absl::Status CheckDurability(ConnectionPool& pool, absl::Time deadline) {
  ASSIGN_OR_RETURN(Transaction tx, pool.Begin(deadline));
  int64_t flush = -1;
  int64_t log_bin = 0;
  int64_t sync_binlog = -1;
  RETURN_IF_ERROR(tx.Query(kSelectSettings, {}, [&](const Row& row) {
    flush = row.Int64(1);
    log_bin = row.Int64(2);
    sync_binlog = row.Int64(3);
  }));
  RETURN_IF_ERROR(tx.Commit());
  if (flush != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("database is not durable: innodb_flush_log_at_trx_commit = ", flush,
                     " (need 1), so an acknowledged write could be lost in a crash"));
  }
  if (log_bin != 0 && sync_binlog != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database is not durable: binary log on with sync_binlog = ", sync_binlog, " (need 1)"));
  }
  return absl::OkStatus();
}

}  // namespace lms::db
