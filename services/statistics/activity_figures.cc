#include "services/statistics/activity_figures.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/activity/cadence.h"
#include "services/statistics/day_bounds.h"
#include "services/statistics/report_directory.h"

namespace lms::statistics {
namespace {

// Held: started in the range and not cancelled (4); attendance from closed ones (3), whose
// targeted members were counted on closing.
constexpr char kHeld[] =
    "SELECT a.organization_id, a.kind, COUNT(*), SUM(IF(a.state = 3, a.targeted_count, 0)),"
    " SUM(IF(a.state = 3, (SELECT COUNT(*) FROM activity_attendance t WHERE t.activity_id = a.id"
    " AND t.status = 1), 0)) FROM activity a WHERE a.start_time >= ? AND a.start_time < ?"
    " AND a.state <> 4 AND a.organization_id IN (";
constexpr char kHeldSuffix[] = ") GROUP BY a.organization_id, a.kind";

struct Held {
  int64_t count = 0;
  int64_t targeted = 0;
  int64_t present = 0;
};

}  // namespace

absl::StatusOr<std::vector<ActivityKindFigures>> ActivitiesHeld(db::Transaction& tx,
                                                                const TreeOnDate& tree,
                                                                int64_t root, int year,
                                                                absl::CivilDay day, absl::Time now,
                                                                RuleVersions& rules) {
  const std::vector<int64_t> organizations = tree.Subtree(root);
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay last(year, 12, 31);
  const absl::Time from = absl::FromCivil(first, ChinaTimeZone());
  const absl::Time to = std::min(EndOfChinaDay(std::min(day, last)), now);
  std::map<std::pair<int64_t, int>, Held> held;
  if (from < to) {
    RETURN_IF_ERROR(
        db::QueryForIds(tx, kHeld, kHeldSuffix, {from, to}, organizations, [&](const db::Row& row) {
          held[{row.Int64(1), static_cast<int>(row.Int64(2))}] = {row.Int64(3), row.Int64(4),
                                                                  row.Int64(5)};
        }));
  }
  ASSIGN_OR_RETURN(const auto labels, ReportDirectory().Organizations(tx, organizations));
  const settings::SettingsReader reader;
  ASSIGN_OR_RETURN(const settings::SubtreeSettings cadences,
                   reader.ForSubtree(tx, activity::AllCadenceKeys(), root, day));

  std::map<int, ActivityKindFigures> by_kind;
  const auto row_of = [&](int kind) -> ActivityKindFigures& {
    ActivityKindFigures& row = by_kind[kind];
    row.kind = kind;
    return row;
  };
  for (const auto& [key, counts] : held) {
    ActivityKindFigures& row = row_of(key.second);
    row.held += counts.count;
    row.targeted += counts.targeted;
    row.present += counts.present;
  }
  // The month of `day` is owed once it has ended: as if asked the next morning.
  const absl::CivilDay asked = std::min(day, last) + 1;
  for (const int64_t organization : organizations) {
    const auto label = labels.find(organization);
    if (label == labels.end()) continue;
    for (const activity::CadenceRule& rule : activity::CadenceRulesFor(label->second.kind)) {
      const settings::EffectiveSetting setting = cadences.Get(organization, rule.setting_key);
      const int per_year = static_cast<int>(setting.value);
      if (per_year <= 0) continue;
      rules.setting_change_ids.insert(setting.change_id);
      const activity::CadenceDue due = activity::DueIn(per_year, first, last, asked);
      ActivityKindFigures& row = row_of(static_cast<int>(rule.kind));
      row.expected_for_year += due.required;
      row.expected_by_date += due.due;
      const auto found = held.find({organization, static_cast<int>(rule.kind)});
      const int64_t count = found == held.end() ? 0 : found->second.count;
      if (count < due.due) ++row.organizations_behind;
    }
  }
  std::vector<ActivityKindFigures> kinds;
  for (const auto& [kind, row] : by_kind) kinds.push_back(row);
  return kinds;
}

}  // namespace lms::statistics
