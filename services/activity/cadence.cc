#include "services/activity/cadence.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace lms::activity {
namespace {

std::string Key(const char* prefix, ActivityKind kind) {
  return absl::StrCat(prefix, SettingName(kind));
}

}  // namespace

std::vector<CadenceRule> CadenceRulesFor(int organization_kind) {
  switch (organization_kind) {
    case kBranchKind:
      return {
          {ActivityKind::kBranchGeneralMeeting,
           Key("activity.cadence.", ActivityKind::kBranchGeneralMeeting)},
          {ActivityKind::kBranchCommitteeMeeting,
           Key("activity.cadence.", ActivityKind::kBranchCommitteeMeeting)},
          {ActivityKind::kPartyLecture, Key("activity.cadence.", ActivityKind::kPartyLecture)},
          {ActivityKind::kThemePartyDay, Key("activity.cadence.", ActivityKind::kThemePartyDay)},
          {ActivityKind::kOrganizationalLifeMeeting,
           Key("activity.cadence.", ActivityKind::kOrganizationalLifeMeeting)}};
    case kGroupKind:
      return {{ActivityKind::kGroupMeeting, Key("activity.cadence.", ActivityKind::kGroupMeeting)}};
    case kGeneralBranchKind:
      return {{ActivityKind::kBranchGeneralMeeting,
               Key("activity.cadence.general_branch.", ActivityKind::kBranchGeneralMeeting)},
              {ActivityKind::kBranchCommitteeMeeting,
               Key("activity.cadence.general_branch.", ActivityKind::kBranchCommitteeMeeting)},
              {ActivityKind::kPartyLecture,
               Key("activity.cadence.general_branch.", ActivityKind::kPartyLecture)},
              {ActivityKind::kOrganizationalLifeMeeting,
               Key("activity.cadence.general_branch.", ActivityKind::kOrganizationalLifeMeeting)}};
    default:
      return {};
  }
}

std::vector<std::string> AllCadenceKeys() {
  std::vector<std::string> keys;
  for (const int kind : {kGeneralBranchKind, kBranchKind, kGroupKind}) {
    for (const CadenceRule& rule : CadenceRulesFor(kind)) keys.push_back(rule.setting_key);
  }
  return keys;
}

CadenceDue DueIn(int per_year, absl::CivilDay from, absl::CivilDay to, absl::CivilDay today) {
  CadenceDue result;
  if (per_year <= 0 || to < from) return result;
  if (12 % per_year == 0) {
    const int months = 12 / per_year;
    // Calendar periods from the start of from's year: each ends the day before the next.
    absl::CivilMonth start(from.year(), 1);
    while (true) {
      const absl::CivilMonth next = start + months;
      const absl::CivilDay last = absl::CivilDay(next) - 1;
      if (last > to) break;
      if (last >= from) {
        ++result.required;
        if (last < today) ++result.due;
      }
      start = next;
    }
    return result;
  }
  const double days = static_cast<double>(to - from + 1);
  result.required = static_cast<int>(std::lround(per_year * days / 365.0));
  const absl::CivilDay until = std::min(to, today - 1);
  if (until >= from) {
    const double elapsed = static_cast<double>(until - from + 1);
    result.due = static_cast<int>(std::floor(per_year * elapsed / 365.0));
  }
  return result;
}

}  // namespace lms::activity
