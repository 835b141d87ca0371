#pragma once

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "common/db/connection_pool.h"
#include "tools/bench/load_generator.h"

namespace lms::bench {

using BenchTransaction = std::function<absl::Status(db::Transaction&)>;

// The database ceiling: `concurrency` threads each running `transactions` (one call's
// transactions, in order, each committed) back to back on the pool for `duration`, with
// the same percentiles as the gRPC load generator.
LoadResult RunDatabaseLoop(db::ConnectionPool& pool, int concurrency, absl::Duration duration,
                           const std::vector<BenchTransaction>& transactions);

// The same loop for any blocking work (`work(start)`): a ceiling that is neither gRPC nor
// SQL, such as password hashing on the machine's cores.
LoadResult RunBlockingLoop(int concurrency, absl::Duration duration,
                           const std::function<absl::Status(absl::Time)>& work);

}  // namespace lms::bench
