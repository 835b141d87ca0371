#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/domain/categories.h"
#include "services/enrollment/plan_requirements.h"

namespace lms::enrollment {

// One plan and category that require a course of a member, with the due date it sets.
struct RequirementSource {
  int64_t plan_id = 0;
  int64_t organization_id = 0;
  MemberCategory category = MemberCategory::kUnspecified;
  absl::CivilDay due_date;
};

// A course a member owes: due by the earliest date any source sets.
struct CourseObligation {
  int64_t course_id = 0;
  absl::CivilDay due_date;
  // Every plan and category requiring it, earliest due date first.
  std::vector<RequirementSource> sources;
};

// The hours a member owes in the year, and what set the figure.
struct HoursObligation {
  int64_t hundredths = 0;
  // The plan and category whose requirement is the highest; plan 0 when only the
  // settings' default applies (no covering plan names a category the member holds).
  int64_t plan_id = 0;
  MemberCategory category = MemberCategory::kUnspecified;
  // The share owed by a member who joined during the year (by whole months left).
  bool pro_rata = false;
};

struct MemberObligations {
  // By course id.
  std::vector<CourseObligation> courses;
  // Recommended by a covering plan for one of the member's categories, and not required.
  std::vector<int64_t> recommended_course_ids;
  HoursObligation hours;
};

// The settings' default hours for a category, for a plan's organisation (0 for the
// member's own organisation, when no plan covers them).
using DefaultHours = std::function<int64_t(MemberCategory category, int64_t organization_id)>;

// What the published plans covering a member require of them, by their categories: the
// union of required courses, each by the earliest due date any plan sets; the highest
// hours any plan sets for any of their categories (a category a plan leaves without hours
// takes the settings' default for that plan's organisation); with no plan, the highest
// default among their categories. A member who joined during `year` (`joined`) owes,
// when `pro_rata`, the hours times the whole months left from the first month beginning
// on or after joining, out of twelve, rounded to the nearest hundredth.
[[nodiscard]] MemberObligations UnionOfPlans(const std::vector<PlanRequirements>& covering,
                                             const std::vector<MemberCategory>& categories,
                                             int year, std::optional<absl::CivilDay> joined,
                                             bool pro_rata, const DefaultHours& default_hours);

// Whole months of `year` left from the first month that begins on or after `joined` (12
// when joined before the year; 0 when after it).
[[nodiscard]] int WholeMonthsLeft(int year, absl::CivilDay joined);

}  // namespace lms::enrollment
