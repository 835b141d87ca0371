#include "tools/bench/db_loop.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/db/run_transaction.h"

namespace lms::bench {

LoadResult RunDatabaseLoop(db::ConnectionPool& pool, int concurrency, absl::Duration duration,
                           const std::vector<BenchTransaction>& transactions) {
  return RunBlockingLoop(concurrency, duration, [&](absl::Time start) {
    for (const BenchTransaction& transaction : transactions) {
      const absl::Status status = db::RunTransaction(pool, start + absl::Seconds(10), transaction);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  });
}

LoadResult RunBlockingLoop(int concurrency, absl::Duration duration,
                           const std::function<absl::Status(absl::Time)>& work) {
  const absl::Duration warmup = std::min(absl::Seconds(1), duration / 5);
  const absl::Time measure_from = absl::Now() + warmup;
  const absl::Time stop_at = measure_from + duration;
  std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(concurrency));
  std::vector<int64_t> errors(static_cast<size_t>(concurrency), 0);
  std::vector<std::string> first_errors(static_cast<size_t>(concurrency));
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      while (true) {
        const absl::Time start = absl::Now();
        if (start >= stop_at) return;
        const absl::Status status = work(start);
        const absl::Time end = absl::Now();
        if (start < measure_from || end > stop_at) continue;
        if (status.ok()) {
          latencies[t].push_back(absl::ToInt64Microseconds(end - start));
        } else if (errors[t]++ == 0) {
          first_errors[t] = std::string(status.message());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  LoadResult result;
  std::vector<int64_t> all;
  for (int t = 0; t < concurrency; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    result.errors += errors[t];
    if (result.first_error.empty()) result.first_error = first_errors[t];
  }
  result.calls = static_cast<int64_t>(all.size());
  result.calls_per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(duration);
  FillPercentiles(all, result);
  return result;
}

}  // namespace lms::bench
