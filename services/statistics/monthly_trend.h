#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

struct MonthFigures {
  // 1-12.
  int month = 0;
  int64_t hours_credited = 0;  // hundredths
  int64_t completions = 0;
  // Members with any study, credit or attendance in the month.
  int64_t active_members = 0;
};

// Month by month for `year`, January to the month of `day`, for `member_ids` (a subtree's
// members as of `day`): the hours credited for the year that happened in the month
// (reversals at the undone credit's time, as the ledger dates them), course completions,
// and the members active (a progress event, a credit or a sign-in present). Counts only
// what happened by the end of `day` and, for events and credits, was received by
// `received_by`. Months are China-time months.
[[nodiscard]] absl::StatusOr<std::vector<MonthFigures>> MonthlyTrend(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

}  // namespace lms::statistics
