#include "services/statistics/hours_on_date.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

constexpr char kPrefix[] =
    "SELECT member_id, SUM(hundredths) FROM hours_credit WHERE year = ? AND happen_time < ?"
    " AND record_time <= ? AND member_id IN (";
constexpr char kSuffix[] = ") GROUP BY member_id";

}  // namespace

absl::StatusOr<std::map<int64_t, int64_t>> HoursCreditedOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by) {
  const absl::Time end = EndOfChinaDay(day);
  const db::Param received = ReceivedByParam(received_by);
  std::map<int64_t, int64_t> hours;
  RETURN_IF_ERROR(db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{year, end, received};
    params.insert(params.end(), member_ids.begin() + begin, member_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kPrefix, db::BindMarks(size), kSuffix), params,
                    [&](const db::Row& row) { hours[row.Int64(1)] = row.Int64(2); });
  }));
  return hours;
}

}  // namespace lms::statistics
