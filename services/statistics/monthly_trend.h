#pragma once

#include <cstdint>
#include <functional>
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

// One member's figures in one month; the trend adds them up.
struct MemberMonth {
  int64_t member_id = 0;
  int month = 0;
  int64_t hours_credited = 0;  // hundredths
  int64_t completions = 0;
  bool active = false;
};

// For `member_ids`, each member's months of `year` (January to the month of `day`) that
// have any figure: the hours credited for the year that happened in the month (reversals
// at the undone credit's time, as the ledger dates them), course completions, and whether
// the member was active (a progress event, a credit or a sign-in present). Counts only
// what happened by the end of `day` and, for events and credits, was received by
// `received_by`. Months are China-time months. Ordered by member, then month.
[[nodiscard]] absl::StatusOr<std::vector<MemberMonth>> MemberMonths(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

// MemberMonths of `member_ids` a thousand members at a time (one statement of each kind),
// each chunk's rows passed to `on_chunk`, so a whole site's member-months never sit in
// memory together; stops at the first error.
[[nodiscard]] absl::Status ForEachMemberMonthsChunk(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by,
    const std::function<absl::Status(const std::vector<MemberMonth>&)>& on_chunk);

// Months 1 to `last_month`, all zero.
[[nodiscard]] std::vector<MonthFigures> EmptyMonths(int last_month);

// Adds `rows` to `months` (from EmptyMonths), each to its month; members active counted.
void AddUpMonths(const std::vector<MemberMonth>& rows, std::vector<MonthFigures>& months);

// The last month of `year` the trend as of `day` shows (12 for a past year).
[[nodiscard]] int LastMonthOf(int year, absl::CivilDay day);

// Month by month for `year` for `member_ids` (a subtree's members as of `day`): their
// MemberMonths added up, January to the month of `day` (ForEachMemberMonthsChunk).
[[nodiscard]] absl::StatusOr<std::vector<MonthFigures>> MonthlyTrend(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

}  // namespace lms::statistics
