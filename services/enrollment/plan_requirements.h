#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/domain/categories.h"

namespace lms::enrollment {

// A course a category must complete under a plan, and by when.
struct RequiredCourse {
  int64_t course_id = 0;
  absl::CivilDay due_date;
};

// What one member category must do under a plan.
struct CategoryRequirement {
  MemberCategory category = MemberCategory::kUnspecified;
  // Hundredths of an hour in the plan year; nullopt: the setting in force for the plan's
  // organisation.
  std::optional<int64_t> required_hundredths;
  std::vector<RequiredCourse> required_courses;
  std::vector<int64_t> recommended_course_ids;
};

// A published plan as the union rule needs it: who set it, and what it requires.
struct PlanRequirements {
  int64_t plan_id = 0;
  int64_t organization_id = 0;
  int year = 0;
  std::vector<CategoryRequirement> requirements;
  // The version whose requirements these are (set where a reader names it: InForceOn).
  int version = 0;
};

}  // namespace lms::enrollment
