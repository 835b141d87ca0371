#include "services/statistics/monthly_trend.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

// Every statement: (year start, end of day[, received by]) then the members; the month is
// the China-time month of the record's time (times are stored in UTC).
constexpr char kHours[] =
    "SELECT MONTH(happen_time + INTERVAL 8 HOUR), member_id, SUM(hundredths) FROM hours_credit"
    " WHERE year = ? AND happen_time >= ? AND happen_time < ? AND record_time <= ?"
    " AND member_id IN (";
constexpr char kStudy[] =
    "SELECT DISTINCT MONTH(happen_time + INTERVAL 8 HOUR), member_id FROM progress_event"
    " WHERE happen_time >= ? AND happen_time < ? AND receive_time <= ? AND member_id IN (";
constexpr char kCompletions[] =
    "SELECT MONTH(completion_time + INTERVAL 8 HOUR), member_id, COUNT(*) FROM course_progress"
    " WHERE state = 2 AND completion_time >= ? AND completion_time < ? AND member_id IN (";
constexpr char kPresent[] =
    "SELECT DISTINCT MONTH(a.start_time + INTERVAL 8 HOUR), t.member_id FROM activity_attendance t"
    " JOIN activity a ON a.id = t.activity_id WHERE t.status = 1 AND a.state <> 4"
    " AND a.start_time >= ? AND a.start_time < ? AND t.member_id IN (";

}  // namespace

absl::StatusOr<std::vector<MonthFigures>> MonthlyTrend(db::Transaction& tx,
                                                       const std::vector<int64_t>& member_ids,
                                                       int year, absl::CivilDay day,
                                                       absl::Time received_by) {
  const absl::Time year_start = absl::FromCivil(absl::CivilDay(year, 1, 1), ChinaTimeZone());
  const absl::Time year_end = absl::FromCivil(absl::CivilDay(year + 1, 1, 1), ChinaTimeZone());
  const absl::Time end = std::min(EndOfChinaDay(day), year_end);
  const int last_month = day.year() > year ? 12 : static_cast<int>(day.month());
  const db::Param received = ReceivedByParam(received_by);
  std::vector<MonthFigures> months(last_month);
  for (int month = 1; month <= last_month; ++month) months[month - 1].month = month;
  std::set<std::pair<int, int64_t>> active;
  const auto month_of = [&](const db::Row& row) -> MonthFigures* {
    const int64_t month = row.Int64(1);
    if (month < 1 || month > last_month) return nullptr;
    return &months[month - 1];
  };
  const auto run = [&](const char* prefix, const char* suffix, std::vector<db::Param> head,
                       const auto& on_row) {
    return db::QueryForIds(tx, prefix, suffix, head, member_ids, on_row);
  };
  RETURN_IF_ERROR(
      run(kHours, ") GROUP BY 1, 2", {year, year_start, end, received}, [&](const db::Row& row) {
        MonthFigures* month = month_of(row);
        if (month == nullptr) return;
        month->hours_credited += row.Int64(3);
        active.emplace(month->month, row.Int64(2));
      }));
  RETURN_IF_ERROR(run(kStudy, ")", {year_start, end, received}, [&](const db::Row& row) {
    if (MonthFigures* month = month_of(row)) active.emplace(month->month, row.Int64(2));
  }));
  RETURN_IF_ERROR(run(kCompletions, ") GROUP BY 1, 2", {year_start, end}, [&](const db::Row& row) {
    if (MonthFigures* month = month_of(row)) {
      month->completions += row.Int64(3);
    }
  }));
  RETURN_IF_ERROR(run(kPresent, ")", {year_start, end}, [&](const db::Row& row) {
    if (MonthFigures* month = month_of(row)) active.emplace(month->month, row.Int64(2));
  }));
  for (const auto& [month, member] : active) ++months[month - 1].active_members;
  return months;
}

}  // namespace lms::statistics
