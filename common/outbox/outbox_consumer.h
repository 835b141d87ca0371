#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/db/transaction.h"
#include "common/time/clock.h"

namespace lms::outbox {

// An event as a consumer reads it.
struct DeliveredEvent {
  int64_t id = 0;
  std::string topic;
  int64_t member_id = 0;
  int64_t organization_id = 0;
  std::optional<absl::CivilDay> effective_date;
  absl::Time created_at = absl::InfinitePast();
};

// Delivers outbox events to one named consumer, exactly once each. A batch is handled in
// one transaction together with its delivery records and the cursor, so a crash at any
// point leaves either all of a batch's effects and records or none, and the next run
// takes it again. One process at a time consumes for a name (the cursor row is locked for
// the batch); several names consume the same events independently.
//
// Events commit out of id order (ids are given at insert, transactions commit later), so
// the cursor only moves past events older than `settle`, longer than any transaction may
// run: an event still invisible below it can then never commit. Newer events are found
// again by the search above the cursor and skipped by their delivery records.
// Thread-safe.
class OutboxConsumer {
 public:
  // `handle(tx, events)` applies a batch's effects inside `tx`; an error rolls the batch
  // back (nothing delivered) and RunOnce answers it.
  using Handler =
      std::function<absl::Status(db::Transaction& tx, const std::vector<DeliveredEvent>& events)>;

  OutboxConsumer(db::ConnectionPool& pool, const Clock& clock, std::string name, Handler handle,
                 absl::Duration settle = absl::Minutes(15), size_t batch_size = 500);

  // Delivers every event pending now, batch by batch; how many were delivered.
  [[nodiscard]] absl::StatusOr<int64_t> RunOnce(absl::Time deadline) const;

 private:
  // One batch; how many events it delivered (0: nothing pending).
  absl::StatusOr<int64_t> RunBatch(absl::Time deadline) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const std::string name_;
  const Handler handle_;
  const absl::Duration settle_;
  const size_t batch_size_;
};

}  // namespace lms::outbox
