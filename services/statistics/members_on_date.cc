#include "services/statistics/members_on_date.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
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
    " WHERE a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to >= ?) AND ";
constexpr char kByOrganization[] = "a.organization_id IN (";
constexpr char kByMember[] = "a.member_id IN (";
constexpr char kSuffix[] = ") GROUP BY a.member_id, a.organization_id, m.join_date";

// The members on `day` whose `key` (organisation or member id) is among `ids`, by member.
absl::StatusOr<std::vector<MemberOnDate>> Select(db::Transaction& tx, const char* key,
                                                 const std::vector<int64_t>& ids,
                                                 absl::CivilDay day) {
  std::vector<MemberOnDate> members;
  RETURN_IF_ERROR(
      db::QueryForIds(tx, absl::StrCat(kPrefix, key), kSuffix, {day, day, day, day, day, day}, ids,
                      [&](const db::Row& row) {
                        members.push_back({row.Int64(1), row.Int64(2), row.Int64(3), row.Day(4)});
                      }));
  std::sort(members.begin(), members.end(),
            [](const MemberOnDate& a, const MemberOnDate& b) { return a.member_id < b.member_id; });
  return members;
}

}  // namespace

absl::StatusOr<std::vector<MemberOnDate>> MembersOnDate(db::Transaction& tx,
                                                        const std::vector<int64_t>& organizations,
                                                        absl::CivilDay day) {
  return Select(tx, kByOrganization, organizations, day);
}

absl::StatusOr<std::vector<MemberOnDate>> MembersByIdOnDate(db::Transaction& tx,
                                                            const std::vector<int64_t>& member_ids,
                                                            absl::CivilDay day) {
  return Select(tx, kByMember, member_ids, day);
}

}  // namespace lms::statistics
