#include "services/enrollment/requirement_union.h"

#include <algorithm>
#include <map>
#include <set>

namespace lms::enrollment {

int WholeMonthsLeft(int year, absl::CivilDay joined) {
  if (joined.year() < year) return 12;
  if (joined.year() > year) return 0;
  // A month counts when it begins on or after the day of joining.
  const int first_whole_month = joined.day() == 1 ? joined.month() : joined.month() + 1;
  return std::max(0, 13 - first_whole_month);
}

MemberObligations UnionOfPlans(const std::vector<PlanRequirements>& covering,
                               const std::vector<MemberCategory>& categories, int year,
                               std::optional<absl::CivilDay> joined, bool pro_rata,
                               const DefaultHours& default_hours) {
  const std::set<MemberCategory> held(categories.begin(), categories.end());
  std::map<int64_t, CourseObligation> courses;
  std::set<int64_t> recommended;
  MemberObligations result;
  bool any_plan_hours = false;
  // Plans in id order, so ties between equal hours are decided the same way every time.
  std::vector<const PlanRequirements*> plans;
  for (const PlanRequirements& plan : covering) {
    if (plan.year == year) plans.push_back(&plan);
  }
  std::sort(plans.begin(), plans.end(), [](const PlanRequirements* a, const PlanRequirements* b) {
    return a->plan_id < b->plan_id;
  });
  for (const PlanRequirements* plan : plans) {
    for (const CategoryRequirement& requirement : plan->requirements) {
      if (held.count(requirement.category) == 0) continue;
      // Not value_or: the default is a settings read, made only when it is needed.
      const int64_t hours = requirement.required_hundredths.has_value()
                                ? *requirement.required_hundredths
                                : default_hours(requirement.category, plan->organization_id);
      if (!any_plan_hours || hours > result.hours.hundredths) {
        result.hours = {hours, plan->plan_id, requirement.category, false};
        any_plan_hours = true;
      }
      for (const RequiredCourse& course : requirement.required_courses) {
        CourseObligation& obligation = courses[course.course_id];
        obligation.course_id = course.course_id;
        obligation.sources.push_back(
            {plan->plan_id, plan->organization_id, requirement.category, course.due_date});
      }
      recommended.insert(requirement.recommended_course_ids.begin(),
                         requirement.recommended_course_ids.end());
    }
  }
  if (!any_plan_hours) {
    // No covering plan speaks for the member's categories: the highest default.
    for (const MemberCategory category : held) {
      const int64_t hours = default_hours(category, 0);
      if (hours > result.hours.hundredths ||
          result.hours.category == MemberCategory::kUnspecified) {
        result.hours = {hours, 0, category, false};
      }
    }
  }
  if (pro_rata && joined.has_value()) {
    const int months = WholeMonthsLeft(year, *joined);
    if (months < 12) {
      result.hours.hundredths = (result.hours.hundredths * months + 6) / 12;
      result.hours.pro_rata = true;
    }
  }
  for (auto& [id, obligation] : courses) {
    std::stable_sort(obligation.sources.begin(), obligation.sources.end(),
                     [](const RequirementSource& a, const RequirementSource& b) {
                       return a.due_date < b.due_date;
                     });
    obligation.due_date = obligation.sources.front().due_date;
    recommended.erase(id);
    result.courses.push_back(std::move(obligation));
  }
  result.recommended_course_ids.assign(recommended.begin(), recommended.end());
  return result;
}

}  // namespace lms::enrollment
