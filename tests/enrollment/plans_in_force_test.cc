// The plans in force on a day, as statistics "as of" the day hold members to them: a plan
// edited mid-year counts by the version in force that day, a draft never, a closed plan
// for its own year.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "common/db/run_transaction.h"
#include "services/enrollment/plan_repository.h"
#include "tests/testing/test_database.h"

namespace lms::enrollment {
namespace {

class PlansInForceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("plans_in_force").release();
    testing::SeedRootAndTwoBranches(*database_);
    testing::SeedPublishedCourse(*database_, 3001, "党章");
    // Plan 900 (2026) published on 10 January and edited on 1 June; 901 a draft; 902 the
    // closed plan of 2025.
    database_->Execute(
        "INSERT INTO training_plan (id, organization_id, year, state, version,"
        " published_version, created_by, create_time, update_time) VALUES"
        " (900, 1, 2026, 2, 3, 2, 1, NOW(), NOW()), (901, 2, 2026, 1, 1, 0, 1, NOW(), NOW()),"
        " (902, 1, 2025, 3, 2, 1, 1, NOW(), NOW())");
    database_->Execute(
        "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
        " effective_date, changed_by, change_time) VALUES"
        " (900, 0, '年度计划', '', 0, NULL, 1, NOW()),"
        " (900, 1, '年度计划', '', 0, '2026-01-10', 1, NOW()),"
        " (900, 2, '年度计划', '', 0, '2026-06-01', 1, NOW()),"
        " (901, 0, '草稿', '', 0, NULL, 1, NOW()),"
        " (902, 1, '去年计划', '', 0, '2025-01-05', 1, NOW())");
    database_->Execute(
        "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths) VALUES"
        " (900, 0, 1, 9900), (900, 1, 1, 3200), (900, 2, 1, 4000), (900, 2, 3, 5600),"
        " (901, 0, 1, 9900), (902, 1, 1, 3200)");
    database_->Execute(
        "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
        " due_date, position) VALUES (900, 2, 1, 3001, 1, '2026-09-30', 1)");
  }
  static void TearDownTestSuite() { delete database_; }

  static std::vector<PlanRequirements> On(int year, absl::CivilDay day) {
    absl::StatusOr<std::vector<PlanRequirements>> plans =
        db::RunTransactionFor<std::vector<PlanRequirements>>(
            database_->pool(), absl::Now() + absl::Seconds(10),
            [&](db::Transaction& tx) { return PlanRepository().InForceOn(tx, year, day); });
    EXPECT_TRUE(plans.ok()) << plans.status();
    return *plans;
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* PlansInForceTest::database_ = nullptr;

TEST_F(PlansInForceTest, EachPlanCountsByTheVersionInForceThatDay) {
  EXPECT_TRUE(On(2026, absl::CivilDay(2026, 1, 9)).empty());

  std::vector<PlanRequirements> plans = On(2026, absl::CivilDay(2026, 5, 31));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].plan_id, 900);
  EXPECT_EQ(plans[0].organization_id, 1);
  ASSERT_EQ(plans[0].requirements.size(), 1u);
  EXPECT_EQ(plans[0].requirements[0].required_hundredths, 3200);
  EXPECT_TRUE(plans[0].requirements[0].required_courses.empty());

  plans = On(2026, absl::CivilDay(2026, 6, 1));
  ASSERT_EQ(plans.size(), 1u);
  ASSERT_EQ(plans[0].requirements.size(), 2u);
  EXPECT_EQ(plans[0].requirements[0].category, MemberCategory::kOrdinary);
  EXPECT_EQ(plans[0].requirements[0].required_hundredths, 4000);
  ASSERT_EQ(plans[0].requirements[0].required_courses.size(), 1u);
  EXPECT_EQ(plans[0].requirements[0].required_courses[0].course_id, 3001);
  EXPECT_EQ(plans[0].requirements[0].required_courses[0].due_date, absl::CivilDay(2026, 9, 30));
  EXPECT_EQ(plans[0].requirements[1].required_hundredths, 5600);

  // Closed after its year, last year's plan still counts for that year.
  plans = On(2025, absl::CivilDay(2025, 12, 31));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].plan_id, 902);
}

}  // namespace
}  // namespace lms::enrollment
