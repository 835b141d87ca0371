#include "services/statistics/hours_on_date.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

constexpr char kPrefix[] =
    "SELECT member_id, SUM(hundredths) FROM hours_credit WHERE year = ? AND happen_time < ?"
    " AND record_time <= ? AND member_id IN (";
constexpr char kSuffix[] = ") GROUP BY member_id";
constexpr char kBySourcePrefix[] =
    "SELECT member_id, summary_source, SUM(hundredths) FROM hours_credit WHERE year = ?"
    " AND happen_time < ? AND record_time <= ? AND member_id IN (";
constexpr char kBySourceSuffix[] = ") GROUP BY member_id, summary_source";

}  // namespace

absl::StatusOr<std::map<int64_t, int64_t>> HoursCreditedOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by) {
  const absl::Time end = EndOfChinaDay(day);
  const db::Param received = ReceivedByParam(received_by);
  std::map<int64_t, int64_t> hours;
  RETURN_IF_ERROR(db::QueryForIds(tx, kPrefix, kSuffix, {year, end, received}, member_ids,
                                  [&](const db::Row& row) { hours[row.Int64(1)] = row.Int64(2); }));
  return hours;
}

absl::StatusOr<std::map<int64_t, std::map<int, int64_t>>> HoursBySourceOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by) {
  std::map<int64_t, std::map<int, int64_t>> hours;
  RETURN_IF_ERROR(db::QueryForIds(tx, kBySourcePrefix, kBySourceSuffix,
                                  {year, EndOfChinaDay(day), ReceivedByParam(received_by)},
                                  member_ids, [&](const db::Row& row) {
                                    if (row.Int64(3) != 0)
                                      hours[row.Int64(1)][static_cast<int>(row.Int64(2))] =
                                          row.Int64(3);
                                  }));
  return hours;
}

}  // namespace lms::statistics
