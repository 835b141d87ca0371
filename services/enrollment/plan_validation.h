#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status/field_errors.h"
#include "services/enrollment/training_plan.h"

namespace lms::enrollment {

inline constexpr int kMinPlanYear = 2000;
inline constexpr int kMaxPlanYear = 2100;
inline constexpr size_t kMaxPlanTitleLength = 200;
inline constexpr size_t kMaxPlanGoalsLength = 20'000;
inline constexpr size_t kMaxCoursesPerCategory = 200;
inline constexpr size_t kMaxScheduleItems = 500;
inline constexpr int64_t kMaxRequiredHundredths = 100'000;  // 1,000 h
// A due date may fall this long after the plan year (a December course finished in
// January).
inline constexpr int kDueDaysAfterYear = 90;
inline constexpr size_t kMaxChangeReasonLength = 500;

// Adds a violation, named under `prefix` ("plan."), for each bad field of a plan's
// content: year, title, goals, period within the year, known forms without repeats, at
// most one requirement per known category, hours within bounds, each course once per
// category with a due date in the year (or up to kDueDaysAfterYear after), recommended
// courses without repeats, and a schedule of dated, titled items within the year. Ids
// and the existence of courses are the service's business.
void CheckPlanFields(status::FieldErrors& errors, const std::string& prefix,
                     const TrainingPlan& plan);

// What an edit of a published plan takes away from members: a category's requirement
// dropped, a required course dropped or due earlier, lower hours. Additions, later due
// dates and higher hours take nothing away and apply at once; anything here needs a
// reason, and withdraws only the enrolments that the removed requirement alone created.
struct PlanReduction {
  // (category, course) pairs no longer required.
  std::vector<std::pair<MemberCategory, int64_t>> removed_courses;
  // (category, course) pairs now due earlier.
  std::vector<std::pair<MemberCategory, int64_t>> earlier_due;
  // Categories whose hours went down (or whose requirement went away with its hours).
  std::vector<MemberCategory> lower_hours;
  [[nodiscard]] bool empty() const {
    return removed_courses.empty() && earlier_due.empty() && lower_hours.empty();
  }
};

// `default_hundredths(category)` is what a requirement without hours means (the settings
// in force for the plan's organisation).
[[nodiscard]] PlanReduction ReductionOf(
    const TrainingPlan& before, const TrainingPlan& after,
    const std::function<int64_t(MemberCategory)>& default_hundredths);

}  // namespace lms::enrollment
