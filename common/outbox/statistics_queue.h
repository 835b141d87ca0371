#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::outbox {

// Members whose statistics standing may have changed (a credit, a study event, a course
// completed or started, a transfer or category change): written into statistics_queue in
// the transaction of the change, so the statistics job's rollups miss nothing. Append-only
// rows, one per change and member, never updated: writers never wait on each other or on
// the job, which takes rows and deletes exactly those it took. Stateless; thread-safe.
class StatisticsQueue {
 public:
  // Repeated ids are queued once.
  [[nodiscard]] absl::Status Enqueue(db::Transaction& tx, std::vector<int64_t> member_ids,
                                     absl::Time now) const;
  // Every member now in the subtree of `organization_id` (a subtree moved: the plans
  // covering it may have changed).
  [[nodiscard]] absl::Status EnqueueSubtree(db::Transaction& tx, int64_t organization_id,
                                            absl::Time now) const;
  // Every member with a record of activity `activity_id` (it was cancelled or moved: the
  // month they were present in changed).
  [[nodiscard]] absl::Status EnqueueAttendees(db::Transaction& tx, int64_t activity_id,
                                              absl::Time now) const;
};

}  // namespace lms::outbox
