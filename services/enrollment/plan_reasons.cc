#include "services/enrollment/plan_reasons.h"

namespace lms::enrollment {

std::vector<EnrollmentReason> PlanReasonsFor(const PlanRequirements& plan, int64_t member_id,
                                             int64_t category_mask) {
  std::vector<EnrollmentReason> reasons;
  for (const CategoryRequirement& requirement : plan.requirements) {
    if ((category_mask & (int64_t{1} << static_cast<int>(requirement.category))) == 0) continue;
    for (const RequiredCourse& course : requirement.required_courses) {
      EnrollmentReason reason;
      reason.member_id = member_id;
      reason.course_id = course.course_id;
      reason.kind = ReasonKind::kPlan;
      reason.plan_id = plan.plan_id;
      reason.category = requirement.category;
      reason.organization_id = plan.organization_id;
      reason.due_date = course.due_date;
      reasons.push_back(reason);
    }
  }
  return reasons;
}

}  // namespace lms::enrollment
