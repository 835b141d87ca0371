// The union rule as a pure function: a member covered by the committee's, a general
// branch's and a branch's plans owes every required course by the earliest due date any
// plan sets, and the highest hours any plan sets for any of their categories; each figure
// names the plan and category that set it; joiners during the year owe a share.

#include "services/enrollment/requirement_union.h"

#include <gtest/gtest.h>

namespace lms::enrollment {
namespace {

constexpr int kYear = 2026;

// The settings' defaults: 32 h, 56 h for branch secretaries; the committee (organisation
// 1) has overridden ordinary members to 40 h.
int64_t Defaults(MemberCategory category, int64_t organization_id) {
  if (category == MemberCategory::kBranchSecretary) return 5600;
  if (organization_id == 1 && category == MemberCategory::kOrdinary) return 4000;
  return 3200;
}

PlanRequirements Committee() {
  PlanRequirements plan{10, 1, kYear, {}, 1};
  plan.requirements.push_back(
      {MemberCategory::kOrdinary,
       std::nullopt,
       {{101, absl::CivilDay(kYear, 6, 30)}, {102, absl::CivilDay(kYear, 12, 31)}},
       {201, 202}});
  plan.requirements.push_back(
      {MemberCategory::kBranchSecretary, std::nullopt, {{103, absl::CivilDay(kYear, 9, 30)}}, {}});
  return plan;
}

PlanRequirements GeneralBranch() {
  PlanRequirements plan{20, 2, kYear, {}, 1};
  // The general branch wants course 101 sooner, and 36 h of ordinary members.
  plan.requirements.push_back(
      {MemberCategory::kOrdinary, 3600, {{101, absl::CivilDay(kYear, 4, 30)}}, {102}});
  return plan;
}

PlanRequirements Branch() {
  PlanRequirements plan{30, 3, kYear, {}, 1};
  plan.requirements.push_back(
      {MemberCategory::kOrdinary, 3000, {{104, absl::CivilDay(kYear, 5, 31)}}, {}});
  return plan;
}

TEST(RequirementUnionTest, ThreeLevelsGiveTheUnionTheEarliestDueDateAndTheHighestHours) {
  const MemberObligations owed =
      UnionOfPlans({Branch(), Committee(), GeneralBranch()}, {MemberCategory::kOrdinary}, kYear,
                   std::nullopt, true, Defaults);
  ASSERT_EQ(owed.courses.size(), 3u);
  EXPECT_EQ(owed.courses[0].course_id, 101);
  EXPECT_EQ(owed.courses[0].due_date, absl::CivilDay(kYear, 4, 30));
  ASSERT_EQ(owed.courses[0].sources.size(), 2u);
  EXPECT_EQ(owed.courses[0].sources[0].plan_id, 20);  // the earliest first
  EXPECT_EQ(owed.courses[0].sources[1].plan_id, 10);
  EXPECT_EQ(owed.courses[1].course_id, 102);
  EXPECT_EQ(owed.courses[2].course_id, 104);
  // The committee's ordinary members have no hours in its plan: its default (40 h) wins
  // over the general branch's 36 h and the branch's 30 h.
  EXPECT_EQ(owed.hours.hundredths, 4000);
  EXPECT_EQ(owed.hours.plan_id, 10);
  EXPECT_EQ(owed.hours.category, MemberCategory::kOrdinary);
  EXPECT_FALSE(owed.hours.pro_rata);
  // Recommended, and not required anywhere: 201 and 202 (102 is required).
  EXPECT_EQ(owed.recommended_course_ids, (std::vector<int64_t>{201, 202}));
}

TEST(RequirementUnionTest, TheHighestHoursAmongAllTheMembersCategories) {
  const MemberObligations owed = UnionOfPlans(
      {Committee(), Branch()}, {MemberCategory::kOrdinary, MemberCategory::kBranchSecretary}, kYear,
      std::nullopt, true, Defaults);
  EXPECT_EQ(owed.hours.hundredths, 5600);
  EXPECT_EQ(owed.hours.plan_id, 10);
  EXPECT_EQ(owed.hours.category, MemberCategory::kBranchSecretary);
  EXPECT_EQ(owed.courses.size(), 4u);  // 101, 102, 103 (secretaries), 104
}

TEST(RequirementUnionTest, WithoutAPlanForTheirCategoriesTheDefaultApplies) {
  const MemberObligations owed =
      UnionOfPlans({Branch()}, {MemberCategory::kRetired}, kYear, std::nullopt, true, Defaults);
  EXPECT_TRUE(owed.courses.empty());
  EXPECT_EQ(owed.hours.hundredths, 3200);
  EXPECT_EQ(owed.hours.plan_id, 0);
  EXPECT_EQ(owed.hours.category, MemberCategory::kRetired);
  // Another year's plan does not count.
  PlanRequirements last_year = Committee();
  last_year.year = kYear - 1;
  EXPECT_TRUE(
      UnionOfPlans({last_year}, {MemberCategory::kOrdinary}, kYear, std::nullopt, true, Defaults)
          .courses.empty());
}

TEST(RequirementUnionTest, AJoinerOwesTheWholeMonthsLeft) {
  EXPECT_EQ(WholeMonthsLeft(kYear, absl::CivilDay(kYear, 3, 1)), 10);
  EXPECT_EQ(WholeMonthsLeft(kYear, absl::CivilDay(kYear, 3, 15)), 9);
  EXPECT_EQ(WholeMonthsLeft(kYear, absl::CivilDay(kYear, 12, 2)), 0);
  EXPECT_EQ(WholeMonthsLeft(kYear, absl::CivilDay(kYear - 1, 7, 1)), 12);
  // 40 h from mid-March: 9 whole months, 30 h.
  const MemberObligations joiner = UnionOfPlans({Committee()}, {MemberCategory::kOrdinary}, kYear,
                                                absl::CivilDay(kYear, 3, 15), true, Defaults);
  EXPECT_EQ(joiner.hours.hundredths, 3000);
  EXPECT_TRUE(joiner.hours.pro_rata);
  // The full requirement when the setting says so, or when they joined before the year.
  EXPECT_EQ(UnionOfPlans({Committee()}, {MemberCategory::kOrdinary}, kYear,
                         absl::CivilDay(kYear, 3, 15), false, Defaults)
                .hours.hundredths,
            4000);
  EXPECT_FALSE(UnionOfPlans({Committee()}, {MemberCategory::kOrdinary}, kYear,
                            absl::CivilDay(kYear - 1, 3, 15), true, Defaults)
                   .hours.pro_rata);
}

}  // namespace
}  // namespace lms::enrollment

namespace lms::enrollment {
namespace {

// A default is a settings read: asked for only when a plan leaves a category's hours unset
// (GetMyLearning would otherwise read the settings on every call).
TEST(RequirementUnionTest, AsksForADefaultOnlyWhereAPlanSetsNoHours) {
  int asked = 0;
  const DefaultHours counting = [&asked](MemberCategory category, int64_t organization_id) {
    ++asked;
    return Defaults(category, organization_id);
  };
  (void)UnionOfPlans({Branch(), GeneralBranch()}, {MemberCategory::kOrdinary}, kYear, std::nullopt,
                     true, counting);
  EXPECT_EQ(asked, 0);
  (void)UnionOfPlans({Committee()}, {MemberCategory::kOrdinary}, kYear, std::nullopt, true,
                     counting);
  EXPECT_EQ(asked, 1);
}

}  // namespace
}  // namespace lms::enrollment
