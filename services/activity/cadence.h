#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/activity/activity.h"

namespace lms::activity {

// Organisation kinds as the organisation service numbers them.
inline constexpr int kGeneralBranchKind = 2;
inline constexpr int kBranchKind = 3;
inline constexpr int kGroupKind = 4;

// One kind of activity an organisation kind owes, and the setting that says how many a
// year (三会一课).
struct CadenceRule {
  ActivityKind kind;
  std::string setting_key;
};

// What an organisation of `organization_kind` owes: branches their meetings, lectures,
// theme days and organisational life meeting; groups their group meetings; general
// branches their own meetings; committees nothing here.
[[nodiscard]] std::vector<CadenceRule> CadenceRulesFor(int organization_kind);
// Every key the rules use.
[[nodiscard]] std::vector<std::string> AllCadenceKeys();

// How many activities `per_year` a year owes over [from, to] (`required`) and over the
// part of it that has ended by `today` (`due`). A cadence that divides the year into
// whole months (monthly, quarterly, half-yearly, yearly) owes one per calendar period
// whose last day lies in the range (and, for `due`, before today: the running month is
// not owed yet); any other owes its share of the range's days, rounded down for `due`.
struct CadenceDue {
  int required = 0;
  int due = 0;
};
[[nodiscard]] CadenceDue DueIn(int per_year, absl::CivilDay from, absl::CivilDay to,
                               absl::CivilDay today);

}  // namespace lms::activity
