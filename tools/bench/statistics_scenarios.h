#pragma once

#include <string>

#include "common/auth/access_token.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "tools/bench/progress_scenarios.h"

namespace lms::bench {

struct StatisticsBenchOptions {
  std::string address;  // the server under test
  std::string echo_address;
  int channels = 4;
  int in_flight = 16;
  int rounds = 3;
  // Calls of one caller timed per round for each latency.
  int samples = 10;
  absl::Duration duration = absl::Seconds(5);
};

// statistics - on a generated site (lms-generate, then lms-bench --db_name of it), as a
// system admin, the targets:
//   tree, branch, behind, snapshot: one caller, warm cache, the median over rounds of each
//     round's median latency of S (the server: today's rollups, or the frozen snapshot)
//     against B, the recount of the same figures in the same run (the statistics service
//     in process, with a received-by bound the rollups cannot answer: the tests'
//     reference code over the raw tables). tree: the whole site's organisation figures
//     (S <= B/100 and <= 500 ms); branch: the general branch with the most members
//     (<= 50 ms); behind: the first page of members behind, whole site (<= 100 ms);
//     snapshot: last month's snapshot of the whole site (<= 50 ms).
//   branch_load: the branch's figures at --in_flight: S calls/s against E (an echo of the
//     answer's size) and D (the rollup read SQL raw: freshness, the tree, the branch's
//     rows) at the same concurrency; S/C with C = 1 / (1/E + 1/D), target >= 0.5.
// Returns non-zero when a run could not be made or a figure's source is not the one
// measured.
// "Bearer <token>" of the site's system admin (member 1 at the root), for a generated site.
[[nodiscard]] std::string SystemAdminAuthorization(const auth::TokenKeys& keys, const Clock& clock,
                                                   absl::Duration token_lifetime);

int RunStatisticsScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys,
                           const Clock& clock, absl::Duration token_lifetime,
                           const StatisticsBenchOptions& options, const PrintFn& print);

}  // namespace lms::bench
