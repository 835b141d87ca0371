#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"
#include "common/settings/setting_definitions.h"
#include "common/settings/setting_repository.h"

namespace lms::settings {

// A setting's value for one organisation on one day, and where it came from.
struct EffectiveSetting {
  const SettingDefinition* definition = nullptr;
  int64_t value = 0;
  // The organisation whose override applies; 0 for the default.
  int64_t source_organization_id = 0;
  // The change that made the value; 0 for the default. Figures keep it to name the rule
  // version they were computed with.
  int64_t change_id = 0;
};

// The settings of every organisation of a subtree (SettingsReader::ForSubtree).
struct SubtreeSettings {
  // Those decided by a change; the rest have the default.
  std::map<std::pair<int64_t, std::string>, EffectiveSetting> changed;
  // `key` (one the lookup asked for) at `organization_id`.
  [[nodiscard]] EffectiveSetting Get(int64_t organization_id, const std::string& key) const;
};

// Reads effective settings inside the caller's transaction, so a service computing a
// figure sees the rules of the same snapshot as its data. The nearest organisation (self,
// then up the tree) with a change in force on the day wins; its latest change (effective
// date, then version) decides, and a cleared one passes to the next organisation up; with
// none, the default. Stateless; thread-safe.
class SettingsReader {
 public:
  // INVALID_ARGUMENT naming `key` when it is not a setting.
  [[nodiscard]] absl::StatusOr<EffectiveSetting> Get(db::Transaction& tx, absl::string_view key,
                                                     int64_t organization_id,
                                                     absl::CivilDay day) const;
  // Every organisation of the subtree of `root` and each of `keys` on `day`, in one
  // statement (reports over a subtree). INVALID_ARGUMENT naming `key` for a key that is
  // not a setting.
  [[nodiscard]] absl::StatusOr<SubtreeSettings> ForSubtree(db::Transaction& tx,
                                                           const std::vector<std::string>& keys,
                                                           int64_t root, absl::CivilDay day) const;

 private:
  const SettingRepository changes_{};
};

}  // namespace lms::settings
