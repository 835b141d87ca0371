#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/statistics/monthly_trend.h"

namespace lms::statistics {

// The monthly trend's rollup (statistics_member_month): each active member's MemberMonths
// for the rollups' year as of their day, written by the statistics job beside the
// standings, so a whole site's trend reads a dozen rows a member instead of the year's
// study events, credits and sign-ins. Stateless; thread-safe.
class MemberMonthRollup {
 public:
  // Deletes the months of `member_ids`.
  [[nodiscard]] absl::Status Delete(db::Transaction& tx,
                                    const std::vector<int64_t>& member_ids) const;
  // Inserts `rows` (their members' months must have been deleted).
  [[nodiscard]] absl::Status Insert(db::Transaction& tx,
                                    const std::vector<MemberMonth>& rows) const;
  // Adds the months of `member_ids` to `months` (from EmptyMonths).
  [[nodiscard]] absl::Status AddUp(db::Transaction& tx, const std::vector<int64_t>& member_ids,
                                   std::vector<MonthFigures>& months) const;
  // Empties it (a rebuild).
  [[nodiscard]] absl::Status Clear(db::Transaction& tx) const;
};

}  // namespace lms::statistics
