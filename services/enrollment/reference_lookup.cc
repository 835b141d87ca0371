#include "services/enrollment/reference_lookup.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {
namespace {

constexpr char kCourseStatesPrefix[] = "SELECT id, state FROM course WHERE id IN (";
constexpr char kOrganizationClosed[] = "SELECT closed FROM organization WHERE id = ?";

}  // namespace

absl::StatusOr<absl::flat_hash_map<int64_t, int64_t>> ReferenceLookup::CourseStates(
    db::Transaction& tx, const std::vector<int64_t>& ids) const {
  absl::flat_hash_map<int64_t, int64_t> states;
  RETURN_IF_ERROR(db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(ids.begin() + begin, ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kCourseStatesPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { states[row.Int64(1)] = row.Int64(2); });
  }));
  return states;
}

absl::StatusOr<std::optional<bool>> ReferenceLookup::OrganizationClosed(
    db::Transaction& tx, int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> closed,
                   tx.QueryInt64(kOrganizationClosed, {organization_id}));
  if (!closed.has_value()) return std::nullopt;
  return *closed != 0;
}

}  // namespace lms::enrollment
