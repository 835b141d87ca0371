#include "services/enrollment/member_directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {
namespace {

constexpr char kColumns[] =
    "SELECT m.id, m.member_number, m.organization_id, m.category_mask, m.status, m.join_date"
    " FROM member m";
// STRAIGHT_JOIN keeps the member primary key as the driving index (see ActiveBatch).
constexpr char kActiveBatch[] =
    "SELECT STRAIGHT_JOIN m.id, m.member_number, m.organization_id, m.category_mask,"
    " m.status, m.join_date FROM member m JOIN organization_closure c"
    " ON c.ancestor_id = ? AND c.descendant_id = m.organization_id"
    " WHERE m.id > ? AND m.status = 1 ORDER BY m.id LIMIT ?";
// The plans join as a nested LEFT JOIN: a member no plan covers still comes back, once.
constexpr char kWithCoveringHours[] =
    "SELECT m.id, m.member_number, m.organization_id, m.category_mask, m.status, m.join_date,"
    " p.id, p.organization_id, pc.category, pc.required_hundredths FROM member m"
    " LEFT JOIN (organization_closure c JOIN training_plan p ON p.organization_id = c.ancestor_id"
    " AND p.state = 2 AND p.year = ? JOIN plan_category pc ON pc.plan_id = p.id"
    " AND pc.plan_version = p.published_version) ON c.descendant_id = m.organization_id"
    " WHERE m.id = ? ORDER BY p.id, pc.category";
constexpr char kCountActive[] =
    "SELECT COUNT(*) FROM organization_closure c JOIN member m"
    " ON m.organization_id = c.descendant_id AND m.status = 1 WHERE c.ancestor_id = ?";
constexpr char kActiveIds[] =
    "SELECT m.id FROM organization_closure c JOIN member m"
    " ON m.organization_id = c.descendant_id AND m.status = 1 WHERE c.ancestor_id = ?";
constexpr char kInSubtree[] =
    "SELECT 1 FROM organization_closure WHERE ancestor_id = ? AND descendant_id = ?";

Enrollee EnrolleeFromRow(const db::Row& row) {
  Enrollee e;
  e.id = row.Int64(1);
  e.member_number = row.String(2);
  e.organization_id = row.Int64(3);
  e.category_mask = row.Int64(4);
  e.status = static_cast<int>(row.Int64(5));
  e.join_date = row.Day(6);
  return e;
}

}  // namespace

absl::StatusOr<std::vector<Enrollee>> MemberDirectory::FindMany(
    db::Transaction& tx, const std::vector<int64_t>& member_ids) const {
  std::vector<Enrollee> found;
  RETURN_IF_ERROR(db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(member_ids.begin() + begin,
                                        member_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kColumns, " WHERE m.id IN (", db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { found.push_back(EnrolleeFromRow(row)); });
  }));
  std::sort(found.begin(), found.end(),
            [](const Enrollee& a, const Enrollee& b) { return a.id < b.id; });
  return found;
}

absl::StatusOr<std::optional<MemberDirectory::WithCoveringHours>>
MemberDirectory::FindWithCoveringHours(db::Transaction& tx, int64_t member_id, int year) const {
  std::optional<WithCoveringHours> found;
  RETURN_IF_ERROR(tx.Query(kWithCoveringHours, {year, member_id}, [&](const db::Row& row) {
    if (!found.has_value()) found = WithCoveringHours{EnrolleeFromRow(row), {}};
    if (row.IsNull(7)) return;
    std::vector<PlanRequirements>& plans = found->plans;
    if (plans.empty() || plans.back().plan_id != row.Int64(7)) {
      PlanRequirements plan;
      plan.plan_id = row.Int64(7);
      plan.organization_id = row.Int64(8);
      plan.year = year;
      plans.push_back(std::move(plan));
    }
    CategoryRequirement requirement;
    requirement.category = static_cast<MemberCategory>(row.Int64(9));
    if (!row.IsNull(10)) requirement.required_hundredths = row.Int64(10);
    plans.back().requirements.push_back(std::move(requirement));
  }));
  return found;
}

absl::StatusOr<std::vector<Enrollee>> MemberDirectory::ActiveBatch(db::Transaction& tx,
                                                                   int64_t organization_id,
                                                                   int64_t after_id,
                                                                   int limit) const {
  std::vector<Enrollee> batch;
  RETURN_IF_ERROR(tx.Query(kActiveBatch, {organization_id, after_id, limit},
                           [&](const db::Row& row) { batch.push_back(EnrolleeFromRow(row)); }));
  return batch;
}

absl::StatusOr<int64_t> MemberDirectory::CountActive(db::Transaction& tx,
                                                     int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64(kCountActive, {organization_id}));
  return count.value_or(0);
}

absl::StatusOr<std::vector<Enrollee>> MemberDirectory::ByNumbers(
    db::Transaction& tx, const std::vector<std::string>& numbers) const {
  std::vector<Enrollee> found;
  RETURN_IF_ERROR(db::ForEachBatch(numbers.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(numbers.begin() + begin, numbers.begin() + begin + size);
    return tx.Query(absl::StrCat(kColumns, " WHERE m.member_number IN (", db::BindMarks(size), ")"),
                    params, [&](const db::Row& row) { found.push_back(EnrolleeFromRow(row)); });
  }));
  return found;
}

absl::StatusOr<bool> MemberDirectory::InSubtree(db::Transaction& tx, int64_t ancestor_id,
                                                int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found,
                   tx.QueryInt64(kInSubtree, {ancestor_id, organization_id}));
  return found.has_value();
}

absl::StatusOr<std::vector<int64_t>> MemberDirectory::ActiveIdsInSubtree(
    db::Transaction& tx, int64_t organization_id) const {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(tx.Query(kActiveIds, {organization_id},
                           [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
  return ids;
}

}  // namespace lms::enrollment
