#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"
#include "services/enrollment/hours_settings.h"
#include "services/enrollment/plan_repository.h"
#include "services/enrollment/requirement_union.h"
#include "services/statistics/members_on_date.h"
#include "services/statistics/rule_versions.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {

// What each member was required to do in `year` as of `day`: the union of the plans in
// force that day (PlanRepository::InForceOn) set by their organisation or one above it in
// the tree of that day, by the categories they held that day, with the settings in force
// that day — UnionOfPlans, the rule "my learning" applies today. With `plan_id`, that plan
// alone: a member it does not cover owes nothing (no plan speaks for them). Adds the plan
// versions and setting changes it applied to `versions`. Stateless; thread-safe.
class RequirementsOnDate {
 public:
  // By member id, for every one of `members` (as MembersOnDate gave them for `day`).
  [[nodiscard]] absl::StatusOr<std::map<int64_t, enrollment::MemberObligations>> For(
      db::Transaction& tx, const TreeOnDate& tree, const std::vector<MemberOnDate>& members,
      int year, absl::CivilDay day, int64_t plan_id = 0, RuleVersions* versions = nullptr) const;

 private:
  const enrollment::PlanRepository plans_{};
  const enrollment::HoursSettings hours_{};
};

}  // namespace lms::statistics
