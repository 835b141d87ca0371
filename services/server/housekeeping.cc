#include "services/server/housekeeping.h"

#include <vector>

#include "common/db/run_transaction.h"

namespace lms::server {
namespace {

// Each statement deletes at most this many rows per transaction; a pass repeats it until
// nothing is left, so a large backlog never becomes one long-locking delete.
constexpr int kBatch = 5000;

struct Sweep {
  const char* sql;
  // Bound in order: times computed from the pass's `now`, never the database's clock.
  std::vector<db::Param> params;
};

}  // namespace

absl::StatusOr<int64_t> Housekeeping::RunOnce(absl::Time now) const {
  // Refresh tokens before the sessions they reference.
  const std::vector<Sweep> sweeps = {
      {"DELETE FROM request_log WHERE created_at < ? LIMIT 5000", {now - config_.request_log}},
      {"DELETE FROM refresh_token WHERE expire_time < ? LIMIT 5000",
       {now - config_.expired_sessions}},
      {"DELETE FROM session WHERE expire_time < ? AND NOT EXISTS (SELECT 1 FROM refresh_token r"
       " WHERE r.session_id = session.id) LIMIT 5000",
       {now - config_.expired_sessions}},
      {"DELETE FROM sign_in_throttle WHERE window_start < ?"
       " AND (locked_until IS NULL OR locked_until < ?) LIMIT 5000",
       {now - absl::Hours(1), now}},
      {"DELETE FROM activation_code WHERE expire_time < ? LIMIT 5000",
       {now - config_.activation_codes}},
  };
  int64_t deleted = 0;
  for (const Sweep& sweep : sweeps) {
    while (true) {
      uint64_t rows = 0;
      const absl::Status status =
          db::RunTransaction(pool_, absl::Now() + absl::Seconds(30), [&](db::Transaction& tx) {
            absl::StatusOr<uint64_t> n = tx.Execute(sweep.sql, sweep.params);
            if (!n.ok()) return n.status();
            rows = *n;
            return absl::OkStatus();
          });
      if (!status.ok()) return status;
      deleted += static_cast<int64_t>(rows);
      if (rows < static_cast<uint64_t>(kBatch)) break;
    }
  }
  return deleted;
}

}  // namespace lms::server
