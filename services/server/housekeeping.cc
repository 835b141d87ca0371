#include "services/server/housekeeping.h"

#include "common/db/run_transaction.h"

namespace lms::server {

void Housekeeping::Add(std::vector<HousekeepingSweep> sweeps) {
  absl::MutexLock lock(&mu_);
  for (HousekeepingSweep& sweep : sweeps) sweeps_.push_back(std::move(sweep));
}

absl::StatusOr<int64_t> Housekeeping::RunOnce(absl::Time now) const {
  std::vector<HousekeepingSweep> sweeps;
  {
    absl::MutexLock lock(&mu_);
    sweeps = sweeps_;
  }
  int64_t deleted = 0;
  for (const HousekeepingSweep& sweep : sweeps) {
    const std::vector<db::Param> params = sweep.params(now);
    while (true) {
      uint64_t rows = 0;
      const absl::Status status =
          db::RunTransaction(pool_, absl::Now() + absl::Seconds(30), [&](db::Transaction& tx) {
            absl::StatusOr<uint64_t> n = tx.Execute(sweep.sql, params);
            if (!n.ok()) return n.status();
            rows = *n;
            return absl::OkStatus();
          });
      if (!status.ok()) return status;
      deleted += static_cast<int64_t>(rows);
      if (rows < static_cast<uint64_t>(kHousekeepingBatch)) break;
    }
  }
  return deleted;
}

}  // namespace lms::server
