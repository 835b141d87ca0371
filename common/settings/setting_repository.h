#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::settings {

// One stored change of a setting at an organisation (table setting_change).
struct SettingChangeRecord {
  int64_t id = 0;
  std::string key;
  int64_t organization_id = 0;
  int64_t version = 0;
  // Unset when `cleared`.
  std::optional<int64_t> value;
  bool cleared = false;
  absl::CivilDay effective_from;
  int64_t changed_by = 0;
  absl::Time change_time = absl::InfinitePast();
  // For lookups along the tree: how far above the asked organisation (0: itself), and
  // the asked organisation (subtree lookups).
  int64_t depth = 0;
  int64_t asked_organization_id = 0;
};

// SQL for setting_change. Rows are only ever inserted. Stateless; thread-safe.
class SettingRepository {
 public:
  // The changes of `key` in force on `day` at `organization_id` and its ancestors:
  // nearest organisation first, then the latest effective date and version first.
  [[nodiscard]] absl::StatusOr<std::vector<SettingChangeRecord>> InForce(db::Transaction& tx,
                                                                         const std::string& key,
                                                                         int64_t organization_id,
                                                                         absl::CivilDay day) const;
  // The same for several keys and every organisation of the subtree of `root`, in one
  // statement: by asked organisation, key, then as InForce.
  [[nodiscard]] absl::StatusOr<std::vector<SettingChangeRecord>> InForceForSubtree(
      db::Transaction& tx, const std::vector<std::string>& keys, int64_t root,
      absl::CivilDay day) const;
  // The latest version of `key` at `organization_id` (0: none), locking the range so two
  // writers serialise.
  [[nodiscard]] absl::StatusOr<int64_t> LatestVersionForUpdate(db::Transaction& tx,
                                                               const std::string& key,
                                                               int64_t organization_id) const;
  // Inserts; returns the id. ALREADY_EXISTS if the version was taken meanwhile.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx,
                                               const SettingChangeRecord& change) const;
  [[nodiscard]] absl::StatusOr<SettingChangeRecord> Find(db::Transaction& tx, int64_t id) const;
  // Changes of `key` at `organization_id`, newest first, with id below `before_id` (0: any).
  [[nodiscard]] absl::StatusOr<std::vector<SettingChangeRecord>> List(db::Transaction& tx,
                                                                      const std::string& key,
                                                                      int64_t organization_id,
                                                                      int64_t before_id,
                                                                      int limit) const;
};

}  // namespace lms::settings
