#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/settings/settings_reader.h"
#include "services/statistics/rule_versions.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {

struct ActivityKindFigures {
  // lms.v1.ActivityKind.
  int kind = 0;
  int64_t held = 0;
  int64_t expected_for_year = 0;
  int64_t expected_by_date = 0;
  int64_t organizations_behind = 0;
  // Over the closed activities held: members present of members targeted.
  int64_t present = 0;
  int64_t targeted = 0;
};

// Organisational life (三会一课) in `root`'s subtree as the tree stood on `day`, for
// `year` up to the end of `day` (and never past `now`): activities held (started, not
// cancelled) per kind; what the cadence settings in force that day ask of each general
// branch, branch and group for the year and by the date (activity::DueIn: a month is
// owed once it has ended); the organisations behind per kind; attendance over the closed
// activities. Kinds held or owed, in kind order. Adds the cadence settings' changes to
// `rules`.
[[nodiscard]] absl::StatusOr<std::vector<ActivityKindFigures>> ActivitiesHeld(
    db::Transaction& tx, const TreeOnDate& tree, int64_t root, int year, absl::CivilDay day,
    absl::Time now, RuleVersions& rules);

}  // namespace lms::statistics
