#include "services/statistics/monthly_trend.h"

#include <algorithm>
#include <map>
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

// Members a MonthlyTrend chunk reads for (one statement of each kind).
constexpr size_t kMembersAtOnce = 1000;

}  // namespace

int LastMonthOf(int year, absl::CivilDay day) {
  return day.year() > year ? 12 : static_cast<int>(day.month());
}

absl::StatusOr<std::vector<MemberMonth>> MemberMonths(db::Transaction& tx,
                                                      const std::vector<int64_t>& member_ids,
                                                      int year, absl::CivilDay day,
                                                      absl::Time received_by) {
  const absl::Time year_start = absl::FromCivil(absl::CivilDay(year, 1, 1), ChinaTimeZone());
  const absl::Time year_end = absl::FromCivil(absl::CivilDay(year + 1, 1, 1), ChinaTimeZone());
  const absl::Time end = std::min(EndOfChinaDay(day), year_end);
  const int last_month = LastMonthOf(year, day);
  const db::Param received = ReceivedByParam(received_by);
  std::map<std::pair<int64_t, int>, MemberMonth> months;
  // The row's member's month, or nullptr for a month outside the trend.
  const auto month_of = [&](const db::Row& row) -> MemberMonth* {
    const int64_t month = row.Int64(1);
    if (month < 1 || month > last_month) return nullptr;
    const int64_t member = row.Int64(2);
    MemberMonth& figures = months[{member, static_cast<int>(month)}];
    figures.member_id = member;
    figures.month = static_cast<int>(month);
    return &figures;
  };
  const auto run = [&](const char* prefix, const char* suffix, std::vector<db::Param> head,
                       const auto& on_row) {
    return db::QueryForIds(tx, prefix, suffix, head, member_ids, on_row);
  };
  RETURN_IF_ERROR(
      run(kHours, ") GROUP BY 1, 2", {year, year_start, end, received}, [&](const db::Row& row) {
        if (MemberMonth* month = month_of(row)) {
          month->hours_credited += row.Int64(3);
          month->active = true;
        }
      }));
  RETURN_IF_ERROR(run(kStudy, ")", {year_start, end, received}, [&](const db::Row& row) {
    if (MemberMonth* month = month_of(row)) month->active = true;
  }));
  RETURN_IF_ERROR(run(kCompletions, ") GROUP BY 1, 2", {year_start, end}, [&](const db::Row& row) {
    if (MemberMonth* month = month_of(row)) month->completions += row.Int64(3);
  }));
  RETURN_IF_ERROR(run(kPresent, ")", {year_start, end}, [&](const db::Row& row) {
    if (MemberMonth* month = month_of(row)) month->active = true;
  }));
  std::vector<MemberMonth> rows;
  rows.reserve(months.size());
  for (auto& [key, figures] : months) rows.push_back(figures);
  return rows;
}

absl::Status ForEachMemberMonthsChunk(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by,
    const std::function<absl::Status(const std::vector<MemberMonth>&)>& on_chunk) {
  for (size_t begin = 0; begin < member_ids.size(); begin += kMembersAtOnce) {
    const std::vector<int64_t> chunk(
        member_ids.begin() + static_cast<std::ptrdiff_t>(begin),
        member_ids.begin() +
            static_cast<std::ptrdiff_t>(std::min(member_ids.size(), begin + kMembersAtOnce)));
    ASSIGN_OR_RETURN(const std::vector<MemberMonth> rows,
                     MemberMonths(tx, chunk, year, day, received_by));
    RETURN_IF_ERROR(on_chunk(rows));
  }
  return absl::OkStatus();
}

std::vector<MonthFigures> EmptyMonths(int last_month) {
  std::vector<MonthFigures> months(static_cast<size_t>(last_month));
  for (int month = 1; month <= last_month; ++month) months[month - 1].month = month;
  return months;
}

void AddUpMonths(const std::vector<MemberMonth>& rows, std::vector<MonthFigures>& months) {
  for (const MemberMonth& row : rows) {
    if (row.month < 1 || row.month > static_cast<int>(months.size())) continue;
    MonthFigures& figures = months[row.month - 1];
    figures.hours_credited += row.hours_credited;
    figures.completions += row.completions;
    if (row.active) ++figures.active_members;
  }
}

absl::StatusOr<std::vector<MonthFigures>> MonthlyTrend(db::Transaction& tx,
                                                       const std::vector<int64_t>& member_ids,
                                                       int year, absl::CivilDay day,
                                                       absl::Time received_by) {
  std::vector<MonthFigures> months = EmptyMonths(LastMonthOf(year, day));
  RETURN_IF_ERROR(ForEachMemberMonthsChunk(tx, member_ids, year, day, received_by,
                                           [&](const std::vector<MemberMonth>& rows) {
                                             AddUpMonths(rows, months);
                                             return absl::OkStatus();
                                           }));
  return months;
}

}  // namespace lms::statistics
