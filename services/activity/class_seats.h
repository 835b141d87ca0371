#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/activity/activity.h"
#include "services/activity/activity_repository.h"
#include "services/activity/class_seat_repository.h"

namespace lms::activity {

struct Withdrawal {
  ClassSeat seat;
  std::optional<ClassSeat> promoted;
};

struct SeatPage {
  std::vector<ClassSeat> seats;
  std::string next_page_token;
  SeatCounts counts;
};

// Inside a transaction holding the class's seat lock (the activity row or its version
// row for update): seats waiting
// members, first come first served, while seats are free. Returns those seated.
[[nodiscard]] absl::StatusOr<std::vector<ClassSeat>> SeatWaitingMembers(
    db::Transaction& tx, const ClassSeatRepository& seats, const Activity& activity,
    absl::Time now);

// Training-class sign-ups and the waitlist. Every change takes the class's version row
// for update first, so seats are counted and given under one lock: never more seated than
// the capacity, however many sign up at once, and the waitlist keeps sign-up order.
// Thread-safe.
class ClassSeats {
 public:
  ClassSeats(db::ConnectionPool& pool, const Clock& clock, const ActivityRepository& activities,
             const ClassSeatRepository& seats)
      : pool_(pool), clock_(clock), activities_(activities), seats_(seats) {}

  // `member_id` 0: the caller.
  [[nodiscard]] absl::StatusOr<ClassSeat> SignUp(const call::CallContext& call, int64_t activity_id,
                                                 int64_t member_id) const;
  [[nodiscard]] absl::StatusOr<Withdrawal> Withdraw(const call::CallContext& call,
                                                    int64_t activity_id, int64_t member_id,
                                                    const std::string& reason) const;
  [[nodiscard]] absl::StatusOr<SeatPage> List(const call::CallContext& call, int64_t activity_id,
                                              int page_size, const std::string& page_token) const;

 private:
  // The class, its seats locked; FAILED_PRECONDITION unless an open class.
  absl::StatusOr<Activity> LockOpenClass(db::Transaction& tx, int64_t activity_id) const;
  // The seat as stored, with its place in the waitlist.
  absl::StatusOr<ClassSeat> LoadSeat(db::Transaction& tx, int64_t activity_id,
                                     int64_t member_id) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const ActivityRepository& activities_;
  const ClassSeatRepository& seats_;
};

}  // namespace lms::activity
