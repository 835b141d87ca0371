#pragma once

#include <functional>
#include <string>

#include "common/auth/access_token.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "tools/bench/load_generator.h"

namespace lms::bench {

using PrintFn = std::function<void(const std::string& scenario, const std::string& run,
                                   const LoadResult& result)>;

struct ProgressBenchOptions {
  std::string address;  // the server under test
  std::string echo_address;
  int channels = 4;
  int in_flight = 64;
  int members = 1000;
  int rounds = 2;
  absl::Duration duration = absl::Seconds(5);
  // Batch scenario: events per batch, batches in flight.
  int batch_events = 1000;
  int batch_in_flight = 8;
};

// The progress scenarios over a fixture of their own (a BENCH-R* branch of `members`
// members, a course with one long video lesson), each member calling with its own
// development token and sending new events only:
//  progress_report - one event per call at --in_flight. E: the echo; D: the reference SQL
//    of one report (the event insert, the lesson upsert, the year summary update, one
//    commit) at the same concurrency; R: a single-row durable INSERT + COMMIT. Prints S/C
//    (C = 1 / (1/E + 1/D)) and S/R.
//  progress_batch - 1,000 events of one member per call, 8 calls in flight, members in
//    turn. B: a raw 1,000-row multi-row INSERT + COMMIT at 8 in flight. Prints p50(S)/p50(B).
//  kiosk_upload - SyncKioskProgress of 1,000 events for 20 members (each under a kiosk
//    ticket), 8 uploads in flight from 8 kiosks of the fixture. B as above. Prints
//    p50(S)/p50(B).
// Returns non-zero when a run could not be made.
int RunProgressScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                         absl::Duration token_lifetime, const ProgressBenchOptions& options,
                         bool report, bool batch, bool kiosk, const PrintFn& print);

}  // namespace lms::bench
