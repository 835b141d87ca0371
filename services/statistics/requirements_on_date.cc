#include "services/statistics/requirements_on_date.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/domain/categories.h"
#include "common/status/status_macros.h"

namespace lms::statistics {

absl::StatusOr<std::map<int64_t, enrollment::MemberObligations>> RequirementsOnDate::For(
    db::Transaction& tx, const TreeOnDate& tree, const std::vector<MemberOnDate>& members, int year,
    absl::CivilDay day, int64_t plan_id, RuleVersions* versions) const {
  ASSIGN_OR_RETURN(std::vector<enrollment::PlanRequirements> plans,
                   plans_.InForceOn(tx, year, day));
  if (plan_id != 0) {
    plans.erase(std::remove_if(plans.begin(), plans.end(),
                               [&](const auto& plan) { return plan.plan_id != plan_id; }),
                plans.end());
  }
  RuleVersions applied;
  std::map<int64_t, std::vector<const enrollment::PlanRequirements*>> set_by;
  for (const enrollment::PlanRequirements& plan : plans) {
    set_by[plan.organization_id].push_back(&plan);
  }
  // Per organisation, once: the plans covering its members (its own and those above it)
  // and whether its joiners owe a pro-rata share; per (category, organisation), once: the
  // settings' default hours.
  std::map<int64_t, std::vector<enrollment::PlanRequirements>> covering;
  std::map<int64_t, bool> pro_rata;
  std::map<std::pair<int, int64_t>, int64_t> defaults;
  absl::Status failed = absl::OkStatus();
  const auto default_hours = [&](int64_t member_organization) {
    return [&, member_organization](MemberCategory category, int64_t organization_id) {
      const int64_t at = organization_id != 0 ? organization_id : member_organization;
      const auto key = std::make_pair(static_cast<int>(category), at);
      const auto found = defaults.find(key);
      if (found != defaults.end()) return found->second;
      absl::StatusOr<settings::EffectiveSetting> hours = hours_.Default(tx, category, at, day);
      if (!hours.ok()) {
        if (failed.ok()) failed = hours.status();
        return int64_t{0};
      }
      applied.setting_change_ids.insert(hours->change_id);
      defaults.emplace(key, hours->value);
      return hours->value;
    };
  };
  std::set<int64_t> applied_plans;
  std::map<int64_t, enrollment::MemberObligations> obligations;
  for (const MemberOnDate& member : members) {
    const int64_t organization = member.organization_id;
    auto [covered, fresh] = covering.try_emplace(organization);
    if (fresh) {
      for (int64_t at = organization; at != 0; at = tree.Parent(at)) {
        for (const enrollment::PlanRequirements* plan : set_by[at]) {
          covered->second.push_back(*plan);
        }
      }
      ASSIGN_OR_RETURN(const settings::EffectiveSetting joiners,
                       hours_.JoinerRule(tx, organization, day));
      applied.setting_change_ids.insert(joiners.change_id);
      pro_rata[organization] = joiners.value != 0;
    }
    if (plan_id != 0 && covered->second.empty()) {
      obligations.emplace(member.member_id, enrollment::MemberObligations{});
      continue;
    }
    enrollment::MemberObligations owed = enrollment::UnionOfPlans(
        covered->second, MemberCategoriesFromMask(member.category_mask), year, member.join_date,
        pro_rata[organization], default_hours(organization));
    RETURN_IF_ERROR(failed);
    if (plan_id != 0 && owed.hours.plan_id == 0 && owed.courses.empty()) {
      // The plan covers the organisation but none of the member's categories.
      owed = enrollment::MemberObligations{};
    }
    for (const enrollment::CourseObligation& course : owed.courses) {
      for (const enrollment::RequirementSource& source : course.sources) {
        applied_plans.insert(source.plan_id);
      }
    }
    if (owed.hours.plan_id != 0) applied_plans.insert(owed.hours.plan_id);
    obligations.emplace(member.member_id, std::move(owed));
  }
  if (versions != nullptr) {
    for (const enrollment::PlanRequirements& plan : plans) {
      if (applied_plans.count(plan.plan_id) > 0) {
        versions->plan_versions.emplace(plan.plan_id, plan.version);
      }
    }
    versions->setting_change_ids.insert(applied.setting_change_ids.begin(),
                                        applied.setting_change_ids.end());
  }
  return obligations;
}

}  // namespace lms::statistics
