#include "common/settings/settings_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"

namespace lms::settings {

namespace {

absl::StatusOr<const SettingDefinition*> DefinitionOf(absl::string_view key) {
  const SettingDefinition* definition = FindSettingDefinition(key);
  if (definition == nullptr) {
    return status::InvalidField("key", absl::StrCat("no setting ", key));
  }
  return definition;
}

// The effective setting from the changes in force along the tree, nearest organisation
// first and latest change first: only the first row of each organisation counts, and a
// cleared one passes the decision up.
EffectiveSetting Resolve(const SettingDefinition* definition,
                         absl::Span<const SettingChangeRecord> in_force) {
  EffectiveSetting effective{definition, definition->default_value, 0, 0};
  int64_t decided_organization = 0;
  for (const SettingChangeRecord& change : in_force) {
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

}  // namespace

absl::StatusOr<EffectiveSetting> SettingsReader::Get(db::Transaction& tx, absl::string_view key,
                                                     int64_t organization_id,
                                                     absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const SettingDefinition* definition, DefinitionOf(key));
  ASSIGN_OR_RETURN(const std::vector<SettingChangeRecord> in_force,
                   changes_.InForce(tx, std::string(key), organization_id, day));
  return Resolve(definition, in_force);
}

EffectiveSetting SubtreeSettings::Get(int64_t organization_id, const std::string& key) const {
  const auto found = changed.find({organization_id, key});
  if (found != changed.end()) return found->second;
  const SettingDefinition* definition = FindSettingDefinition(key);
  return EffectiveSetting{definition, definition == nullptr ? 0 : definition->default_value, 0, 0};
}

absl::StatusOr<SubtreeSettings> SettingsReader::ForSubtree(db::Transaction& tx,
                                                           const std::vector<std::string>& keys,
                                                           int64_t root, absl::CivilDay day) const {
  std::map<std::string, const SettingDefinition*> definitions;
  for (const std::string& key : keys) {
    ASSIGN_OR_RETURN(definitions[key], DefinitionOf(key));
  }
  ASSIGN_OR_RETURN(const std::vector<SettingChangeRecord> in_force,
                   changes_.InForceForSubtree(tx, keys, root, day));
  // Rows come grouped by (asked organisation, key).
  SubtreeSettings settings;
  size_t begin = 0;
  while (begin < in_force.size()) {
    size_t end = begin;
    while (end < in_force.size() &&
           in_force[end].asked_organization_id == in_force[begin].asked_organization_id &&
           in_force[end].key == in_force[begin].key) {
      ++end;
    }
    const SettingChangeRecord& first = in_force[begin];
    settings.changed[{first.asked_organization_id, first.key}] =
        Resolve(definitions[first.key], absl::MakeConstSpan(in_force).subspan(begin, end - begin));
    begin = end;
  }
  return settings;
}

}  // namespace lms::settings
