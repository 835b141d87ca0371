#include "services/statistics/study_on_date.h"

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

constexpr char kPrefix[] =
    "SELECT member_id, SUM(IF(happen_time >= ?, credited_ms, 0)), MAX(happen_time)"
    " FROM progress_event WHERE happen_time < ? AND receive_time <= ? AND member_id IN (";
constexpr char kSuffix[] = ") GROUP BY member_id";

}  // namespace

absl::StatusOr<std::map<int64_t, StudyOnDate>> StudyByDate(db::Transaction& tx,
                                                           const std::vector<int64_t>& member_ids,
                                                           int year, absl::CivilDay day,
                                                           absl::Time received_by) {
  const absl::Time year_start = absl::FromCivil(absl::CivilDay(year, 1, 1), ChinaTimeZone());
  const absl::Time end = EndOfChinaDay(day);
  const db::Param received = ReceivedByParam(received_by);
  std::map<int64_t, StudyOnDate> study;
  RETURN_IF_ERROR(db::QueryForIds(tx, kPrefix, kSuffix, {year_start, end, received}, member_ids,
                                  [&](const db::Row& row) {
                                    study[row.Int64(1)] = {row.Int64(2), row.Time(3)};
                                  }));
  return study;
}

}  // namespace lms::statistics
