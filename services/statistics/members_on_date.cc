#include "services/statistics/members_on_date.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::statistics {
namespace {

constexpr char kPrefix[] =
    "SELECT a.member_id, a.organization_id, COALESCE(BIT_OR(1 << h.category), 0),"
    " DATE_FORMAT(m.join_date, '%Y-%m-%d') FROM member_assignment a"
    " JOIN member m ON m.id = a.member_id JOIN member_status_history s ON s.member_id = a.member_id"
    " AND s.status = 1 AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to >= ?)"
    " LEFT JOIN member_category_history h ON h.member_id ="
    " a.member_id AND h.valid_from <= ? AND (h.valid_to IS NULL OR h.valid_to >= ?)"
    " WHERE a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to >= ?)"
    " AND a.organization_id IN (";
constexpr char kSuffix[] = ") GROUP BY a.member_id, a.organization_id, m.join_date";

}  // namespace

absl::StatusOr<std::vector<MemberOnDate>> MembersOnDate(db::Transaction& tx,
                                                        const std::vector<int64_t>& organizations,
                                                        absl::CivilDay day) {
  std::vector<MemberOnDate> members;
  RETURN_IF_ERROR(db::ForEachBatch(organizations.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{day, day, day, day, day, day};
    for (size_t i = begin; i < begin + size; ++i) params.emplace_back(organizations[i]);
    const std::string sql =
        absl::StrCat(kPrefix, absl::StrJoin(std::vector<std::string>(size, "?"), ", "), kSuffix);
    return tx.Query(sql, params, [&](const db::Row& row) {
      members.push_back({row.Int64(1), row.Int64(2), row.Int64(3), row.Day(4)});
    });
  }));
  std::sort(members.begin(), members.end(),
            [](const MemberOnDate& a, const MemberOnDate& b) { return a.member_id < b.member_id; });
  return members;
}

}  // namespace lms::statistics
