#include "services/enrollment/plan_validation.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/validation/field_checks.h"

namespace lms::enrollment {
namespace {

bool InYear(absl::CivilDay day, int year) { return day.year() == year; }

void CheckRequirement(status::FieldErrors& errors, const std::string& field, int year,
                      const CategoryRequirement& requirement) {
  if (requirement.required_hundredths.has_value() &&
      (*requirement.required_hundredths < 0 ||
       *requirement.required_hundredths > kMaxRequiredHundredths)) {
    errors.Add(field + ".required_hours", "must be 0 to 1,000 hours");
  }
  if (requirement.required_courses.size() > kMaxCoursesPerCategory) {
    errors.Add(field + ".required_courses",
               absl::StrCat("at most ", kMaxCoursesPerCategory, " courses"));
  }
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay last_due = absl::CivilDay(year, 12, 31) + kDueDaysAfterYear;
  std::set<int64_t> required;
  for (size_t i = 0; i < requirement.required_courses.size(); ++i) {
    const RequiredCourse& course = requirement.required_courses[i];
    const std::string course_field = absl::StrCat(field, ".required_courses[", i, "]");
    if (course.course_id <= 0) errors.Add(course_field + ".course_id", "must be a positive id");
    if (!required.insert(course.course_id).second) {
      errors.Add(course_field + ".course_id", "repeated");
    }
    if (course.due_date < first || course.due_date > last_due) {
      errors.Add(course_field + ".due_date", absl::StrCat("must be in ", year, " or at most ",
                                                          kDueDaysAfterYear, " days after it"));
    }
  }
  if (requirement.recommended_course_ids.size() > kMaxCoursesPerCategory) {
    errors.Add(field + ".recommended_course_ids",
               absl::StrCat("at most ", kMaxCoursesPerCategory, " courses"));
  }
  std::set<int64_t> recommended;
  for (size_t i = 0; i < requirement.recommended_course_ids.size(); ++i) {
    const int64_t id = requirement.recommended_course_ids[i];
    const std::string id_field = absl::StrCat(field, ".recommended_course_ids[", i, "]");
    if (id <= 0) {
      errors.Add(id_field, "must be a positive id");
    } else if (!recommended.insert(id).second) {
      errors.Add(id_field, "repeated");
    } else if (required.count(id) != 0) {
      errors.Add(id_field, "is required already");
    }
  }
}

}  // namespace

void CheckPlanFields(status::FieldErrors& errors, const std::string& prefix,
                     const TrainingPlan& plan) {
  const bool year_ok = plan.year >= kMinPlanYear && plan.year <= kMaxPlanYear;
  if (!year_ok) {
    errors.Add(prefix + "year", absl::StrCat("must be ", kMinPlanYear, " to ", kMaxPlanYear));
  }
  validation::CheckText(errors, prefix + "title", plan.title, 1, kMaxPlanTitleLength);
  validation::CheckText(errors, prefix + "goals", plan.goals, 0, kMaxPlanGoalsLength,
                        /*multiline=*/true);
  if (year_ok) {
    if (plan.start_date.has_value() && !InYear(*plan.start_date, plan.year)) {
      errors.Add(prefix + "start_date", "must be in the plan year");
    }
    if (plan.end_date.has_value() && !InYear(*plan.end_date, plan.year)) {
      errors.Add(prefix + "end_date", "must be in the plan year");
    } else if (plan.start_date.has_value() && plan.end_date.has_value() &&
               *plan.end_date < *plan.start_date) {
      errors.Add(prefix + "end_date", "must not be before start_date");
    }
  }
  std::set<TrainingForm> forms;
  for (size_t i = 0; i < plan.forms.size(); ++i) {
    const int form = static_cast<int>(plan.forms[i]);
    const std::string field = absl::StrCat(prefix, "forms[", i, "]");
    if (form < 1 || form > kMaxTrainingForm) {
      errors.Add(field, "must be a known training form");
    } else if (!forms.insert(plan.forms[i]).second) {
      errors.Add(field, "repeated");
    }
  }
  std::set<MemberCategory> categories;
  for (size_t i = 0; i < plan.requirements.size(); ++i) {
    const CategoryRequirement& requirement = plan.requirements[i];
    const std::string field = absl::StrCat(prefix, "requirements[", i, "]");
    if (!IsKnownMemberCategory(static_cast<int>(requirement.category))) {
      errors.Add(field + ".category", "must be a known member category");
    } else if (!categories.insert(requirement.category).second) {
      errors.Add(field + ".category", "repeated: one requirement per category");
    }
    if (year_ok) CheckRequirement(errors, field, plan.year, requirement);
  }
  if (plan.schedule.size() > kMaxScheduleItems) {
    errors.Add(prefix + "schedule", absl::StrCat("at most ", kMaxScheduleItems, " items"));
  }
  for (size_t i = 0; i < plan.schedule.size(); ++i) {
    const ScheduleItem& item = plan.schedule[i];
    const std::string field = absl::StrCat(prefix, "schedule[", i, "]");
    if (year_ok && !InYear(item.date, plan.year)) {
      errors.Add(field + ".date", "must be in the plan year");
    }
    validation::CheckText(errors, field + ".title", item.title, 1, kMaxPlanTitleLength);
    const int form = static_cast<int>(item.form);
    if (form < 1 || form > kMaxTrainingForm) {
      errors.Add(field + ".form", "must be a known training form");
    }
    const int content = static_cast<int>(item.content_category);
    if (content != 0 && !IsKnownContentCategory(content)) {
      errors.Add(field + ".content_category", "must be a known content category or unset");
    }
  }
}

PlanReduction ReductionOf(const TrainingPlan& before, const TrainingPlan& after,
                          const std::function<int64_t(MemberCategory)>& default_hundredths) {
  std::map<MemberCategory, const CategoryRequirement*> now;
  for (const CategoryRequirement& requirement : after.requirements) {
    now[requirement.category] = &requirement;
  }
  PlanReduction reduction;
  for (const CategoryRequirement& was : before.requirements) {
    const auto found = now.find(was.category);
    const CategoryRequirement* is = found == now.end() ? nullptr : found->second;
    const int64_t hours_before = was.required_hundredths.value_or(default_hundredths(was.category));
    const int64_t hours_after =
        is == nullptr ? 0 : is->required_hundredths.value_or(default_hundredths(was.category));
    if (hours_after < hours_before) reduction.lower_hours.push_back(was.category);
    std::map<int64_t, absl::CivilDay> due_now;
    if (is != nullptr) {
      for (const RequiredCourse& course : is->required_courses) {
        due_now[course.course_id] = course.due_date;
      }
    }
    for (const RequiredCourse& course : was.required_courses) {
      const auto still = due_now.find(course.course_id);
      if (still == due_now.end()) {
        reduction.removed_courses.emplace_back(was.category, course.course_id);
      } else if (still->second < course.due_date) {
        reduction.earlier_due.emplace_back(was.category, course.course_id);
      }
    }
  }
  return reduction;
}

}  // namespace lms::enrollment
