#include "common/settings/setting_repository.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::settings {
namespace {

// Along the closure table from the organisation up: one index range per ancestor.
constexpr char kInForce[] =
    "SELECT c.id, c.setting_key, c.organization_id, c.version, c.value, c.cleared,"
    " c.effective_from, c.changed_by, c.change_time, t.depth"
    " FROM organization_closure t JOIN setting_change c"
    "   ON c.organization_id = t.ancestor_id AND c.setting_key = ? AND c.effective_from <= ?"
    " WHERE t.descendant_id = ?"
    " ORDER BY t.depth, c.effective_from DESC, c.version DESC";
// Overrides are few: the statement starts from them and walks up from each organisation.
constexpr char kInForceForSubtreePrefix[] =
    "SELECT c.id, c.setting_key, c.organization_id, c.version, c.value, c.cleared,"
    " c.effective_from, c.changed_by, c.change_time, t.depth, s.descendant_id"
    " FROM organization_closure s"
    " JOIN organization_closure t ON t.descendant_id = s.descendant_id"
    " JOIN setting_change c ON c.organization_id = t.ancestor_id AND c.effective_from <= ?"
    " WHERE s.ancestor_id = ? AND c.setting_key IN (";
constexpr char kInForceForSubtreeOrder[] =
    ") ORDER BY s.descendant_id, c.setting_key, t.depth, c.effective_from DESC, c.version DESC";
constexpr char kLatestVersion[] =
    "SELECT MAX(version) FROM setting_change WHERE setting_key = ? AND organization_id = ?"
    " FOR UPDATE";
constexpr char kInsert[] =
    "INSERT INTO setting_change (setting_key, organization_id, version, value, cleared,"
    " effective_from, changed_by, change_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kFind[] =
    "SELECT c.id, c.setting_key, c.organization_id, c.version, c.value, c.cleared,"
    " c.effective_from, c.changed_by, c.change_time FROM setting_change c WHERE c.id = ?";
constexpr char kList[] =
    "SELECT c.id, c.setting_key, c.organization_id, c.version, c.value, c.cleared,"
    " c.effective_from, c.changed_by, c.change_time FROM setting_change c"
    " WHERE c.setting_key = ? AND c.organization_id = ? AND c.id < ?"
    " ORDER BY c.id DESC LIMIT ?";

SettingChangeRecord FromRow(const db::Row& row) {
  SettingChangeRecord change;
  change.id = row.Int64(1);
  change.key = row.String(2);
  change.organization_id = row.Int64(3);
  change.version = row.Int64(4);
  if (!row.IsNull(5)) change.value = row.Int64(5);
  change.cleared = row.Bool(6);
  change.effective_from = row.Day(7).value_or(absl::CivilDay());
  change.changed_by = row.Int64(8);
  change.change_time = row.Time(9);
  return change;
}

}  // namespace

absl::StatusOr<std::vector<SettingChangeRecord>> SettingRepository::InForce(
    db::Transaction& tx, const std::string& key, int64_t organization_id,
    absl::CivilDay day) const {
  std::vector<SettingChangeRecord> changes;
  RETURN_IF_ERROR(tx.Query(kInForce, {key, day, organization_id}, [&](const db::Row& row) {
    SettingChangeRecord change = FromRow(row);
    change.depth = row.Int64(10);
    changes.push_back(std::move(change));
  }));
  return changes;
}

absl::StatusOr<std::vector<SettingChangeRecord>> SettingRepository::InForceForSubtree(
    db::Transaction& tx, const std::vector<std::string>& keys, int64_t root,
    absl::CivilDay day) const {
  std::vector<SettingChangeRecord> changes;
  if (keys.empty()) return changes;
  std::vector<db::Param> params{day, root};
  const size_t marks = db::AppendPadded(keys, params);
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kInForceForSubtreePrefix, db::BindMarks(marks), kInForceForSubtreeOrder), params,
      [&](const db::Row& row) {
        SettingChangeRecord change = FromRow(row);
        change.depth = row.Int64(10);
        change.asked_organization_id = row.Int64(11);
        changes.push_back(std::move(change));
      }));
  return changes;
}

absl::StatusOr<int64_t> SettingRepository::LatestVersionForUpdate(db::Transaction& tx,
                                                                  const std::string& key,
                                                                  int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> latest,
                   tx.QueryInt64(kLatestVersion, {key, organization_id}));
  return latest.value_or(0);
}

absl::StatusOr<int64_t> SettingRepository::Insert(db::Transaction& tx,
                                                  const SettingChangeRecord& change) const {
  return tx.Insert(kInsert, {change.key, change.organization_id, change.version,
                             change.value.has_value() ? db::Param(*change.value) : nullptr,
                             db::Param::Bool(change.cleared), change.effective_from,
                             change.changed_by, change.change_time});
}

absl::StatusOr<SettingChangeRecord> SettingRepository::Find(db::Transaction& tx, int64_t id) const {
  std::optional<SettingChangeRecord> found;
  RETURN_IF_ERROR(tx.Query(kFind, {id}, [&](const db::Row& row) { found = FromRow(row); }));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("setting change ", id, " not found"));
  }
  return *std::move(found);
}

absl::StatusOr<std::vector<SettingChangeRecord>> SettingRepository::List(db::Transaction& tx,
                                                                         const std::string& key,
                                                                         int64_t organization_id,
                                                                         int64_t before_id,
                                                                         int limit) const {
  std::vector<SettingChangeRecord> changes;
  const int64_t below = before_id > 0 ? before_id : INT64_MAX;
  RETURN_IF_ERROR(tx.Query(kList, {key, organization_id, below, limit},
                           [&](const db::Row& row) { changes.push_back(FromRow(row)); }));
  return changes;
}

}  // namespace lms::settings
