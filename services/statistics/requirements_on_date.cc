#include "services/statistics/requirements_on_date.h"

#include <utility>

#include "common/domain/categories.h"
#include "common/status/status_macros.h"

namespace lms::statistics {

absl::StatusOr<std::map<int64_t, enrollment::MemberObligations>> RequirementsOnDate::For(
    db::Transaction& tx, const TreeOnDate& tree, const std::vector<MemberOnDate>& members, int year,
    absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const std::vector<enrollment::PlanRequirements> plans,
                   plans_.InForceOn(tx, year, day));
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
      absl::StatusOr<int64_t> hours = hours_.DefaultHundredths(tx, category, at, day);
      if (!hours.ok()) {
        if (failed.ok()) failed = hours.status();
        return int64_t{0};
      }
      defaults.emplace(key, *hours);
      return *hours;
    };
  };
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
      ASSIGN_OR_RETURN(pro_rata[organization], hours_.JoinersProRata(tx, organization, day));
    }
    obligations.emplace(member.member_id,
                        enrollment::UnionOfPlans(
                            covered->second, MemberCategoriesFromMask(member.category_mask), year,
                            member.join_date, pro_rata[organization], default_hours(organization)));
    RETURN_IF_ERROR(failed);
  }
  return obligations;
}

}  // namespace lms::statistics
