#pragma once

#include <cstdint>
#include <vector>

#include "services/enrollment/enrollment.h"
#include "services/enrollment/plan_requirements.h"

namespace lms::enrollment {

// The reasons a published plan gives a member holding `category_mask` (bits 1 <<
// MemberCategory): one per category they hold and course that category must take, with
// its due date. Recommended courses give none (they are shown, not owed).
[[nodiscard]] std::vector<EnrollmentReason> PlanReasonsFor(const PlanRequirements& plan,
                                                           int64_t member_id,
                                                           int64_t category_mask);

}  // namespace lms::enrollment
