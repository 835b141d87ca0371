#pragma once

#include <cstdint>
#include <set>
#include <utility>

namespace lms::statistics {

// The rule versions a figure set was computed with, so a report can name them: the
// setting changes whose values applied (0 for a default) and the plan versions in force.
struct RuleVersions {
  std::set<int64_t> setting_change_ids;
  // (plan id, version).
  std::set<std::pair<int64_t, int>> plan_versions;
};

}  // namespace lms::statistics
