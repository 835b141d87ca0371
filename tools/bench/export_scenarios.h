#pragma once

#include <string>

#include "common/auth/access_token.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"

namespace lms::bench {

struct ExportBenchOptions {
  std::string address;  // the server under test (in this process)
  int rounds = 3;
  // Where the files are written (and removed after).
  std::string directory = "/tmp";
};

// export - on a generated site (lms-generate, then lms-bench --db_name of it), as a system
// admin, the targets: the whole tree's members exported as CSV through
// ExportStatistics and written to a file by the client (S), against R, the same rows read
// by the raw SQL (the rollups' standings joined with members and organisations, the
// ledger's hours by source) and written to a CSV file by the bench with the same writer,
// in the same run. Prints each round's seconds and rows/s, S/R (target >= 0.5, S <= 20 s)
// and the process's resident memory growth while S ran (server and client are both in
// this process, so it bounds the server's; target < 100 MB). Then the same export as XLSX
// and the organisations table, for the record. Returns non-zero when a run failed.
int RunExportScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                       absl::Duration token_lifetime, const ExportBenchOptions& options);

}  // namespace lms::bench
