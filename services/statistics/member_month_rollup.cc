#include "services/statistics/member_month_rollup.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batched_query.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::statistics {
namespace {

constexpr char kDeletePrefix[] = "DELETE FROM statistics_member_month WHERE member_id IN (";
constexpr char kInsertPrefix[] =
    "INSERT INTO statistics_member_month (member_id, month, hours_credited, completions,"
    " active) VALUES ";
// Added up in the database: a thousand members' months come back as at most twelve rows.
constexpr char kAddUpPrefix[] =
    "SELECT month, SUM(hours_credited), SUM(completions), SUM(active)"
    " FROM statistics_member_month WHERE member_id IN (";

}  // namespace

absl::Status MemberMonthRollup::Delete(db::Transaction& tx,
                                       const std::vector<int64_t>& member_ids) const {
  return db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(member_ids.begin() + begin,
                                        member_ids.begin() + begin + size);
    return tx.Execute(absl::StrCat(kDeletePrefix, db::BindMarks(size), ")"), params).status();
  });
}

absl::Status MemberMonthRollup::Insert(db::Transaction& tx,
                                       const std::vector<MemberMonth>& rows) const {
  return db::ForEachBatch(rows.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 5);
    for (size_t i = begin; i < begin + size; ++i) {
      const MemberMonth& row = rows[i];
      params.insert(params.end(), {row.member_id, row.month, row.hours_credited, row.completions,
                                   db::Param::Bool(row.active)});
    }
    return tx
        .Execute(
            absl::StrCat(kInsertPrefix,
                         absl::StrJoin(std::vector<std::string>(size, "(?, ?, ?, ?, ?)"), ", ")),
            params)
        .status();
  });
}

absl::Status MemberMonthRollup::AddUp(db::Transaction& tx, const std::vector<int64_t>& member_ids,
                                      std::vector<MonthFigures>& months) const {
  return db::QueryForIds(tx, kAddUpPrefix, ") GROUP BY month", {}, member_ids,
                         [&](const db::Row& row) {
                           const int64_t month = row.Int64(1);
                           if (month < 1 || month > static_cast<int64_t>(months.size())) return;
                           MonthFigures& figures = months[month - 1];
                           figures.hours_credited += row.Int64(2);
                           figures.completions += row.Int64(3);
                           figures.active_members += row.Int64(4);
                         });
}

absl::Status MemberMonthRollup::Clear(db::Transaction& tx) const {
  return tx.Execute("DELETE FROM statistics_member_month", {}).status();
}

}  // namespace lms::statistics
