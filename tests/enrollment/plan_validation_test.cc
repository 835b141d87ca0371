// A plan's fields and their bounds, each violation named; and what an edit of a published
// plan takes away from members (which needs a reason).

#include "services/enrollment/plan_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lms::enrollment {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TrainingPlan GoodPlan() {
  TrainingPlan plan;
  plan.organization_id = 1;
  plan.year = 2026;
  plan.title = "2026年度党员教育培训计划";
  plan.goals = "学习贯彻党的二十大精神\n全年学时不少于32学时";
  plan.start_date = absl::CivilDay(2026, 1, 1);
  plan.end_date = absl::CivilDay(2026, 12, 31);
  plan.forms = {TrainingForm::kSelfStudy, TrainingForm::kPartyLecture};
  plan.requirements.push_back(
      {MemberCategory::kOrdinary, std::nullopt, {{101, absl::CivilDay(2026, 6, 30)}}, {201}});
  plan.requirements.push_back(
      {MemberCategory::kBranchSecretary,
       5600,
       {{101, absl::CivilDay(2026, 5, 31)}, {102, absl::CivilDay(2027, 3, 31)}},
       {}});
  plan.schedule.push_back({absl::CivilDay(2026, 7, 1), "七一专题党课", TrainingForm::kPartyLecture,
                           ContentCategory::kPartyPurpose});
  return plan;
}

std::vector<std::string> Fields(const TrainingPlan& plan) {
  status::FieldErrors errors;
  CheckPlanFields(errors, "plan.", plan);
  std::vector<std::string> fields;
  for (const auto& [field, reason] : errors.violations()) fields.push_back(field);
  return fields;
}

TEST(PlanValidationTest, AGoodPlanPasses) { EXPECT_TRUE(Fields(GoodPlan()).empty()); }

TEST(PlanValidationTest, EachBadFieldIsNamed) {
  TrainingPlan plan = GoodPlan();
  plan.title = "";
  plan.end_date = absl::CivilDay(2025, 12, 31);
  plan.forms.push_back(TrainingForm::kSelfStudy);
  plan.requirements[0].required_hundredths = 100'001;
  plan.requirements[0].required_courses.push_back({101, absl::CivilDay(2026, 8, 1)});
  plan.requirements[0].recommended_course_ids = {101, 0};
  plan.requirements[1].category = MemberCategory::kOrdinary;
  plan.requirements[1].required_courses[1].due_date = absl::CivilDay(2027, 4, 1);
  plan.schedule[0].date = absl::CivilDay(2027, 1, 1);
  plan.schedule[0].form = TrainingForm::kUnspecified;
  EXPECT_THAT(Fields(plan),
              UnorderedElementsAre("plan.title", "plan.end_date", "plan.forms[2]",
                                   "plan.requirements[0].required_hours",
                                   "plan.requirements[0].required_courses[1].course_id",
                                   "plan.requirements[0].recommended_course_ids[0]",
                                   "plan.requirements[0].recommended_course_ids[1]",
                                   "plan.requirements[1].category",
                                   "plan.requirements[1].required_courses[1].due_date",
                                   "plan.schedule[0].date", "plan.schedule[0].form"));
  TrainingPlan out_of_range = GoodPlan();
  out_of_range.year = 1999;
  EXPECT_THAT(Fields(out_of_range), ElementsAre("plan.year"));
  TrainingPlan backwards = GoodPlan();
  backwards.start_date = absl::CivilDay(2026, 6, 1);
  backwards.end_date = absl::CivilDay(2026, 5, 31);
  EXPECT_THAT(Fields(backwards), ElementsAre("plan.end_date"));
}

TEST(PlanValidationTest, AnEditTakesAwayOnlyRemovalsEarlierDatesAndLowerHours) {
  const auto defaults = [](MemberCategory category) -> int64_t {
    return category == MemberCategory::kBranchSecretary ? 5600 : 3200;
  };
  const TrainingPlan before = GoodPlan();
  // Additions, a later due date and higher hours take nothing away.
  TrainingPlan more = before;
  more.requirements[0].required_courses[0].due_date = absl::CivilDay(2026, 9, 30);
  more.requirements[0].required_courses.push_back({103, absl::CivilDay(2026, 10, 31)});
  more.requirements[0].required_hundredths = 4000;
  more.requirements.push_back({MemberCategory::kRetired, 1600, {}, {}});
  EXPECT_TRUE(ReductionOf(before, more, defaults).empty());
  // A course dropped, one due sooner, hours lowered: each named.
  TrainingPlan less = before;
  less.requirements[1].required_courses.erase(less.requirements[1].required_courses.begin() + 1);
  less.requirements[1].required_courses[0].due_date = absl::CivilDay(2026, 4, 30);
  less.requirements[0].required_hundredths = 3000;
  const PlanReduction reduction = ReductionOf(before, less, defaults);
  EXPECT_THAT(reduction.removed_courses, ElementsAre(Pair(MemberCategory::kBranchSecretary, 102)));
  EXPECT_THAT(reduction.earlier_due, ElementsAre(Pair(MemberCategory::kBranchSecretary, 101)));
  EXPECT_THAT(reduction.lower_hours, ElementsAre(MemberCategory::kOrdinary));
  // A category's whole requirement dropped: its courses and its hours.
  TrainingPlan dropped = before;
  dropped.requirements.erase(dropped.requirements.begin());
  const PlanReduction gone = ReductionOf(before, dropped, defaults);
  EXPECT_THAT(gone.removed_courses, ElementsAre(Pair(MemberCategory::kOrdinary, 101)));
  EXPECT_THAT(gone.lower_hours, ElementsAre(MemberCategory::kOrdinary));
}

}  // namespace
}  // namespace lms::enrollment
