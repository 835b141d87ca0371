#include "services/organization/roster_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/organization/member_repository.h"

namespace lms::organization {
namespace {

constexpr char kAllOrganizations[] =
    "SELECT id, COALESCE(parent_id, 0), code, name, kind, closed FROM organization";
constexpr char kIdsByPhonePrefix[] = "SELECT phone, id FROM member WHERE phone IN (";
constexpr char kInsertMembersPrefix[] =
    "INSERT INTO member (name, member_number, phone, organization_id, category_mask,"
    " join_date, birth_date, status, version, create_time, update_time) VALUES ";
constexpr char kMemberValues[] = "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
constexpr char kOpenAssignmentsPrefix[] =
    "INSERT INTO member_assignment (member_id, organization_id, valid_from)"
    " SELECT id, organization_id, ? FROM member WHERE member_number IN (";

}  // namespace

absl::StatusOr<std::vector<KnownOrganization>> RosterRepository::AllOrganizations(
    db::Transaction& tx) const {
  std::vector<KnownOrganization> organizations;
  RETURN_IF_ERROR(tx.Query(kAllOrganizations, {}, [&](const db::Row& row) {
    KnownOrganization o;
    o.id = row.Int64(1);
    o.parent_id = row.Int64(2);
    o.code = row.String(3);
    o.name = row.String(4);
    o.kind = static_cast<OrganizationKind>(row.Int64(5));
    o.closed = row.Bool(6);
    organizations.push_back(std::move(o));
  }));
  return organizations;
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> RosterRepository::MemberIdsByPhone(
    db::Transaction& tx, const std::vector<std::string>& phones) const {
  absl::flat_hash_map<std::string, int64_t> found;
  RETURN_IF_ERROR(db::ForEachBatch(phones.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(phones.begin() + begin, phones.begin() + begin + size);
    return tx.Query(absl::StrCat(kIdsByPhonePrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { found.emplace(row.String(1), row.Int64(2)); });
  }));
  return found;
}

absl::Status RosterRepository::InsertMembers(db::Transaction& tx,
                                             const std::vector<Member>& members,
                                             absl::CivilDay since, absl::Time now) const {
  return db::ForEachBatch(members.size(), [&](size_t begin, size_t size) -> absl::Status {
    std::vector<db::Param> values;
    values.reserve(size * 10);
    std::vector<db::Param> numbers = {FormatDay(since)};
    std::vector<std::string> rows(size, kMemberValues);
    for (size_t i = begin; i < begin + size; ++i) {
      const Member& m = members[i];
      values.emplace_back(m.name);
      values.emplace_back(m.member_number);
      if (m.phone.empty()) {
        values.emplace_back(nullptr);
      } else {
        values.emplace_back(m.phone);
      }
      values.emplace_back(m.organization_id);
      values.emplace_back(MemberCategoryMask(m.categories));
      for (const std::optional<absl::CivilDay>& day : {m.join_date, m.birth_date}) {
        if (day.has_value()) {
          values.emplace_back(FormatDay(*day));
        } else {
          values.emplace_back(nullptr);
        }
      }
      values.emplace_back(static_cast<int>(m.status));
      values.emplace_back(now);
      values.emplace_back(now);
      numbers.emplace_back(m.member_number);
    }
    RETURN_IF_ERROR(
        tx.Execute(absl::StrCat(kInsertMembersPrefix, absl::StrJoin(rows, ", ")), values).status());
    RETURN_IF_ERROR(
        tx.Execute(absl::StrCat(kOpenAssignmentsPrefix, db::BindMarks(size), ")"), numbers)
            .status());
    std::vector<std::string> batch_numbers;
    batch_numbers.reserve(size);
    for (size_t i = begin; i < begin + size; ++i) batch_numbers.push_back(members[i].member_number);
    RETURN_IF_ERROR(categories_.OpenForNumbers(tx, batch_numbers, since));
    RETURN_IF_ERROR(statuses_.OpenForNumbers(tx, batch_numbers, since));
    return outbox_.AppendForMemberNumbers(tx, outbox::kMemberJoined, batch_numbers, now);
  });
}

}  // namespace lms::organization
