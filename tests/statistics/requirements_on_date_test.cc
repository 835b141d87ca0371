// What members were required to do as of a day, against a real database: a branch's plan
// in force only from its effective date, the highest hours among plans and categories, a
// category no plan names (the settings' default), a joiner's pro-rata share, a branch's
// required course only for its own members.
#include "services/statistics/requirements_on_date.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "common/db/run_transaction.h"
#include "services/statistics/members_on_date.h"
#include "services/statistics/tree_on_date.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_database.h"

namespace lms::statistics {
namespace {

using Obligations = std::map<int64_t, enrollment::MemberObligations>;

class RequirementsOnDateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("requirements_on_date").release();
    auto& db = *database_;
    testing::SeedRootAndTwoBranches(db);
    testing::SeedPublishedCourse(db, 3001, "支部工作条例");
    testing::SeedTreeHistory(db);
    // 301: ordinary and branch secretary in A; 302 ordinary in B; 303 retired in B; 304
    // ordinary in A, joined the Party on 15 April 2026.
    testing::SeedMemberSince(db, 301, 2, 10, "2020-01-01");
    testing::SeedMemberSince(db, 302, 3, 2, "2020-01-01");
    testing::SeedMemberSince(db, 303, 3, 32, "2020-01-01", "1980-07-01");
    testing::SeedMemberSince(db, 304, 2, 2, "2026-04-15", "2026-04-15");
    // The committee's plan (32 h for ordinary members) from 5 January; branch A's (60 h for
    // its secretary, and a required course) from 1 February.
    db.Execute(
        "INSERT INTO training_plan (id, organization_id, year, state, version,"
        " published_version, created_by, create_time, update_time) VALUES"
        " (910, 1, 2026, 2, 2, 1, 1, NOW(), NOW()), (911, 2, 2026, 2, 2, 1, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
        " effective_date, changed_by, change_time) VALUES"
        " (910, 1, '党委计划', '', 0, '2026-01-05', 1, NOW()),"
        " (911, 1, '甲支部计划', '', 0, '2026-02-01', 1, NOW())");
    db.Execute(
        "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths) VALUES"
        " (910, 1, 1, 3200), (911, 1, 3, 6000)");
    db.Execute(
        "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
        " due_date, position) VALUES (911, 1, 3, 3001, 1, '2026-10-31', 1)");
  }
  static void TearDownTestSuite() { delete database_; }

  static Obligations On(absl::CivilDay day, int year = 2026) {
    absl::StatusOr<Obligations> obligations = db::RunTransactionFor<Obligations>(
        database_->pool(), absl::Now() + absl::Seconds(10),
        [&](db::Transaction& tx) -> absl::StatusOr<Obligations> {
          absl::StatusOr<TreeOnDate> tree = TreeOnDate::Load(tx, day);
          if (!tree.ok()) return tree.status();
          absl::StatusOr<std::vector<MemberOnDate>> members =
              MembersOnDate(tx, tree->Subtree(1), day);
          if (!members.ok()) return members.status();
          return RequirementsOnDate().For(tx, *tree, *members, year, day);
        });
    EXPECT_TRUE(obligations.ok()) << obligations.status();
    return *obligations;
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* RequirementsOnDateTest::database_ = nullptr;

TEST_F(RequirementsOnDateTest, EachMemberOwesWhatThePlansInForceThatDayRequired) {
  // Before branch A's plan: the committee's 32 h for ordinary members; the retired member,
  // whose category no plan names, owes the settings' default.
  Obligations before = On(absl::CivilDay(2026, 1, 20));
  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(before[301].hours.hundredths, 3200);
  EXPECT_EQ(before[301].hours.plan_id, 910);
  EXPECT_TRUE(before[301].courses.empty());
  EXPECT_EQ(before[302].hours.plan_id, 910);
  EXPECT_EQ(before[303].hours.hundredths, 3200);
  EXPECT_EQ(before[303].hours.plan_id, 0);

  // From 1 February, A's secretary owes A's 60 h and its course; B's members do not.
  Obligations after = On(absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(after[301].hours.hundredths, 6000);
  EXPECT_EQ(after[301].hours.plan_id, 911);
  ASSERT_EQ(after[301].courses.size(), 1u);
  EXPECT_EQ(after[301].courses[0].course_id, 3001);
  EXPECT_EQ(after[301].courses[0].due_date, absl::CivilDay(2026, 10, 31));
  EXPECT_EQ(after[302].hours.hundredths, 3200);
  EXPECT_TRUE(after[302].courses.empty());

  // The joiner owes 8 of 12 months (May to December) of the 32 h.
  Obligations joined = On(absl::CivilDay(2026, 5, 1));
  ASSERT_EQ(joined.size(), 4u);
  EXPECT_EQ(joined[304].hours.hundredths, 2133);
  EXPECT_TRUE(joined[304].hours.pro_rata);

  // Before any 2026 plan: the highest default among a member's categories (56 h for the
  // secretary).
  Obligations none = On(absl::CivilDay(2026, 1, 2));
  EXPECT_EQ(none[301].hours.hundredths, 5600);
  EXPECT_EQ(none[301].hours.plan_id, 0);
}

}  // namespace
}  // namespace lms::statistics
