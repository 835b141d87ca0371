#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/activity/activity.h"

namespace lms::activity {

struct SeatCounts {
  int seated = 0;
  int waiting = 0;
};

// SQL for training-class seats (class_seat). Writers hold the class's version row for
// update (ActivityRepository::LockVersion) while they change seats, and read with locking
// reads (`locking`), which see the latest commits rather than the transaction's
// snapshot: that lock, not the isolation level, keeps a class from being overbooked.
// Stateless; thread-safe.
class ClassSeatRepository {
 public:
  [[nodiscard]] absl::StatusOr<std::optional<ClassSeat>> Find(db::Transaction& tx,
                                                              int64_t activity_id,
                                                              int64_t member_id,
                                                              bool locking = false) const;
  // Inserts or overwrites the member's seat row.
  [[nodiscard]] absl::Status Save(db::Transaction& tx, const ClassSeat& seat) const;
  [[nodiscard]] absl::StatusOr<SeatCounts> Counts(db::Transaction& tx, int64_t activity_id,
                                                  bool locking = false) const;
  // Plain counts for a page of classes, in one statement (those with no seat absent).
  [[nodiscard]] absl::StatusOr<std::map<int64_t, SeatCounts>> CountsOf(
      db::Transaction& tx, const std::vector<int64_t>& activity_ids) const;
  // The highest sign-up number given (0: none), read locking.
  [[nodiscard]] absl::StatusOr<int64_t> LastPosition(db::Transaction& tx,
                                                     int64_t activity_id) const;
  // The first waiting members, in order, at most `limit`, read locking.
  [[nodiscard]] absl::StatusOr<std::vector<ClassSeat>> FirstWaiting(db::Transaction& tx,
                                                                    int64_t activity_id,
                                                                    int limit) const;
  // Waiting members signed up before `position` (for the place in line).
  [[nodiscard]] absl::StatusOr<int> WaitingBefore(db::Transaction& tx, int64_t activity_id,
                                                  int64_t position) const;
  // Seats by state (seated, waiting, withdrawn), then sign-up order, after (state,
  // position) `after`, at most `limit`, with names.
  [[nodiscard]] absl::StatusOr<std::vector<ClassSeat>> List(db::Transaction& tx,
                                                            int64_t activity_id,
                                                            std::pair<int64_t, int64_t> after,
                                                            int limit) const;
};

}  // namespace lms::activity
