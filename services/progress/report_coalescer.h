#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call/call_context.h"
#include "services/progress/progress.h"

namespace lms::progress {

// One RecordProgress call waiting for its turn.
struct PendingReport {
  const call::CallContext* call = nullptr;
  int64_t member_id = 0;
  const std::vector<ProgressEvent>* events = nullptr;
  bool done = false;
  absl::StatusOr<RecordOutcome> outcome = absl::UnknownError("not run");
};

// Runs small progress reports of different members together, one transaction for
// several. A kiosk or phone sends an event or two at a time, so under load each report's
// cost is almost all fixed: a dozen round trips and a durable commit. Calls that arrive
// while `max_leaders` batches are being written wait, and the next free caller writes the
// waiting ones (up to `max_calls` of distinct members, `max_events` events) in one go:
// the commit, and every statement, is shared (group commit in the application, as a
// database's own log does). Alone, a call runs at once as a batch of one. Thread-safe.
class ReportCoalescer {
 public:
  struct Limits {
    int max_calls = 32;
    int max_events = 256;
    int max_leaders = 2;
  };
  // Writes a batch: one outcome per report, in order, or one error for all of them.
  using RunBatch =
      std::function<absl::StatusOr<std::vector<RecordOutcome>>(const std::vector<PendingReport*>&)>;

  ReportCoalescer(Limits limits, RunBatch run) : limits_(limits), run_(std::move(run)) {}

  // Queues `report` and returns once a batch holding it was written.
  absl::StatusOr<RecordOutcome> Submit(PendingReport& report);

 private:
  // Up to the limits, the oldest waiting reports of distinct members.
  std::vector<PendingReport*> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limits limits_;
  const RunBatch run_;
  absl::Mutex mu_;
  std::deque<PendingReport*> queue_ ABSL_GUARDED_BY(mu_);
  int leaders_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lms::progress
