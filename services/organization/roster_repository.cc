#include "services/organization/roster_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"
#include "services/organization/member_repository.h"

namespace lms::organization {
namespace {

// Batches are cut to these sizes (largest first), so only four statement shapes exist.
constexpr size_t kBatchSizes[] = {1000, 100, 10, 1};

constexpr char kAllOrganizations[] =
    "SELECT id, COALESCE(parent_id, 0), code, name, kind, closed FROM organization";
constexpr char kMembersByNumberPrefix[] =
    "SELECT m.id, m.name, m.member_number, COALESCE(m.phone, ''), m.organization_id,"
    " m.category_mask, COALESCE(DATE_FORMAT(m.join_date, '%Y-%m-%d'), ''), m.status, m.version"
    " FROM member m WHERE m.member_number IN (";
constexpr char kIdsByPhonePrefix[] = "SELECT phone, id FROM member WHERE phone IN (";
constexpr char kInsertMembersPrefix[] =
    "INSERT INTO member (name, member_number, phone, organization_id, category_mask,"
    " join_date, status, version, create_time, update_time) VALUES ";
constexpr char kMemberValues[] = "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
constexpr char kOpenAssignmentsPrefix[] =
    "INSERT INTO member_assignment (member_id, organization_id, valid_from)"
    " SELECT id, organization_id, ? FROM member WHERE member_number IN (";

std::string Placeholders(size_t n) {
  std::vector<std::string> marks(n, "?");
  return absl::StrJoin(marks, ", ");
}

// Calls `batch(begin, size)` over [0, total) in the fixed sizes.
template <typename Batch>
absl::Status ForEachBatch(size_t total, Batch&& batch) {
  size_t begin = 0;
  for (const size_t size : kBatchSizes) {
    while (total - begin >= size) {
      RETURN_IF_ERROR(batch(begin, size));
      begin += size;
    }
  }
  return absl::OkStatus();
}

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

absl::StatusOr<absl::flat_hash_map<std::string, Member>> RosterRepository::MembersByNumber(
    db::Transaction& tx, const std::vector<std::string>& numbers) const {
  absl::flat_hash_map<std::string, Member> found;
  RETURN_IF_ERROR(ForEachBatch(numbers.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(numbers.begin() + begin, numbers.begin() + begin + size);
    return tx.Query(absl::StrCat(kMembersByNumberPrefix, Placeholders(size), ")"), params,
                    [&](const db::Row& row) {
                      Member m;
                      m.id = row.Int64(1);
                      m.name = row.String(2);
                      m.member_number = row.String(3);
                      m.phone = row.String(4);
                      m.organization_id = row.Int64(5);
                      m.categories = MemberCategoriesFromMask(row.Int64(6));
                      absl::CivilDay day;
                      if (absl::ParseCivilTime(row.String(7), &day)) m.join_date = day;
                      m.status = static_cast<MemberStatus>(row.Int64(8));
                      m.version = row.Int64(9);
                      found.emplace(m.member_number, std::move(m));
                    });
  }));
  return found;
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> RosterRepository::MemberIdsByPhone(
    db::Transaction& tx, const std::vector<std::string>& phones) const {
  absl::flat_hash_map<std::string, int64_t> found;
  RETURN_IF_ERROR(ForEachBatch(phones.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(phones.begin() + begin, phones.begin() + begin + size);
    return tx.Query(absl::StrCat(kIdsByPhonePrefix, Placeholders(size), ")"), params,
                    [&](const db::Row& row) { found.emplace(row.String(1), row.Int64(2)); });
  }));
  return found;
}

absl::Status RosterRepository::InsertMembers(db::Transaction& tx,
                                             const std::vector<Member>& members,
                                             absl::CivilDay since, absl::Time now) const {
  return ForEachBatch(members.size(), [&](size_t begin, size_t size) -> absl::Status {
    std::vector<db::Param> values;
    values.reserve(size * 9);
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
      if (m.join_date.has_value()) {
        values.emplace_back(FormatDay(*m.join_date));
      } else {
        values.emplace_back(nullptr);
      }
      values.emplace_back(static_cast<int>(m.status));
      values.emplace_back(now);
      values.emplace_back(now);
      numbers.emplace_back(m.member_number);
    }
    RETURN_IF_ERROR(
        tx.Execute(absl::StrCat(kInsertMembersPrefix, absl::StrJoin(rows, ", ")), values).status());
    return tx.Execute(absl::StrCat(kOpenAssignmentsPrefix, Placeholders(size), ")"), numbers)
        .status();
  });
}

}  // namespace lms::organization
