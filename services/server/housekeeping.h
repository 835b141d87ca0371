#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/db/param.h"

namespace lms::server {

// One kind of row that outlives its purpose, and how to delete it: a DELETE ... LIMIT
// statement whose parameters are times computed from the pass's `now` (never the
// database's clock, so tests can move time). Each module declares its own tables' sweeps.
struct HousekeepingSweep {
  std::string name;
  std::string sql;
  std::function<std::vector<db::Param>(absl::Time now)> params;
};

// Deletes rows that have outlived their purpose, sweep by sweep, in batches of
// kHousekeepingBatch rows per transaction, so no delete holds locks for long; running
// it in several replicas at once is harmless. The runtime registers the request log's
// sweep, each hosted module its own. Thread-safe.
class Housekeeping {
 public:
  explicit Housekeeping(db::ConnectionPool& pool) : pool_(pool) {}

  void Add(std::vector<HousekeepingSweep> sweeps);
  // One pass as of `now`; returns the number of rows deleted.
  [[nodiscard]] absl::StatusOr<int64_t> RunOnce(absl::Time now) const;

 private:
  db::ConnectionPool& pool_;
  mutable absl::Mutex mu_;
  std::vector<HousekeepingSweep> sweeps_ ABSL_GUARDED_BY(mu_);
};

// The most rows one sweep statement deletes; its SQL ends in "LIMIT 5000".
inline constexpr int kHousekeepingBatch = 5000;

}  // namespace lms::server
