#pragma once

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace lms::settings {

// One configurable rule: its key (the unit is part of the name), meaning, default and
// bounds. Values are integers: study hours in hundredths of an hour (as
// lms.v1.StudyHours), percentages, counts per year.
struct SettingDefinition {
  absl::string_view key;
  absl::string_view description;
  int64_t default_value;
  int64_t min_value;
  int64_t max_value;
  // Set only at the root organisation: rules that must be the same for everyone, such as
  // how study time is credited (hours compared across branches must be earned alike).
  bool site_wide = false;
};

// Every setting, in a fixed order. Defaults follow the national plan for member education
// (at least 32 hours a year; 56 for grassroots branch secretaries and committee members)
// and the usual cadence of 三会一课; organisations override them for their subtree.
[[nodiscard]] const std::vector<SettingDefinition>& AllSettingDefinitions();

// The definition of `key`, or nullptr.
[[nodiscard]] const SettingDefinition* FindSettingDefinition(absl::string_view key);

}  // namespace lms::settings
