#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/activity/activity.h"
#include "services/progress/hours_ledger.h"

namespace lms::activity {

// What one settlement wrote to the ledger.
struct CreditChange {
  int64_t credited_hundredths = 0;
  // Negative: hours taken back.
  int64_t reversed_hundredths = 0;
};

// The ledger side of attendance: what an attendance earns at a closed activity, and the
// credit or reversal that brings the ledger in line with it, inside the caller's
// transaction. A credit is never edited: a changed amount is a reversal and a new credit
// under the next source key ("activity:<id>:<n>"), so the ledger always equals a recount.
// Stateless; thread-safe.
class AttendanceCredits {
 public:
  explicit AttendanceCredits(const progress::HoursLedger& ledger) : ledger_(ledger) {}

  // Hundredths an attendance earns: the activity's hours for a member present (or one
  // who made it up by the make-up course); with
  // sign-out and `by_presence`, the share of the activity between signing in and out
  // (none without a sign-out); an admin's "present" is the whole activity.
  [[nodiscard]] static int64_t Earned(const Activity& activity, const Attendance& attendance,
                                      bool by_presence);

  // Makes the attendance hold `earned` in the ledger; updates its credit fields (the
  // caller stores them).
  [[nodiscard]] absl::StatusOr<CreditChange> Settle(db::Transaction& tx, const Activity& activity,
                                                    Attendance& attendance, int64_t earned,
                                                    int64_t actor_member_id,
                                                    const std::string& reason,
                                                    absl::Time now) const;

  // The lecturer's credit, once per activity.
  [[nodiscard]] absl::StatusOr<int64_t> CreditLecturer(db::Transaction& tx,
                                                       const Activity& activity,
                                                       int64_t actor_member_id,
                                                       absl::Time now) const;

 private:
  const progress::HoursLedger& ledger_;
};

}  // namespace lms::activity
