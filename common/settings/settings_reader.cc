#include "common/settings/settings_reader.h"

#include <string>
#include <vector>

#include "common/status/field_errors.h"
#include "common/status/status_macros.h"

namespace lms::settings {

absl::StatusOr<EffectiveSetting> SettingsReader::Get(db::Transaction& tx, absl::string_view key,
                                                     int64_t organization_id,
                                                     absl::CivilDay day) const {
  const SettingDefinition* definition = FindSettingDefinition(key);
  if (definition == nullptr) {
    return status::InvalidField("key", absl::StrCat("no setting ", key));
  }
  ASSIGN_OR_RETURN(const std::vector<SettingChangeRecord> in_force,
                   changes_.InForce(tx, std::string(key), organization_id, day));
  EffectiveSetting effective{definition, definition->default_value, 0, 0};
  int64_t decided_organization = 0;
  for (const SettingChangeRecord& change : in_force) {
    // Rows come nearest organisation first, latest change first: only the first row of
    // each organisation counts.
    if (change.organization_id == decided_organization) continue;
    decided_organization = change.organization_id;
    if (change.cleared || !change.value.has_value()) continue;  // inherits from above
    effective.value = *change.value;
    effective.source_organization_id = change.organization_id;
    effective.change_id = change.id;
    break;
  }
  return effective;
}

}  // namespace lms::settings
