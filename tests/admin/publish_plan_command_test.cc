// lms-admin publish-plan against a real server: publishes, follows the background
// assignment with a progress bar, and ends with every targeted member enrolled.

#include "tools/admin/publish_plan_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::admin {
namespace {

TEST(PublishPlanCommandTest, PublishesAndFollowsTheAssignmentToItsEnd) {
  testing::TestServer server("publish_plan_command");
  auto& db = server.database();
  testing::SeedRootAndTwoBranches(db);
  for (int i = 0; i < 30; ++i) {
    db.Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        100 + i, ", '党员', 'P", i, "', 2, 2, 1, 1, NOW(), NOW())"));
  }
  testing::SeedPublishedCourse(db, 901, "学习党章");
  const int year = static_cast<int>(TodayInChina(absl::Now()).year());
  testing::SeedDraftPlan(db, 70, 2, year);
  db.Execute("INSERT INTO plan_category (plan_id, plan_version, category) VALUES (70, 0, 1)");
  db.Execute(absl::StrCat(
      "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required, due_date,"
      " position) VALUES (70, 0, 1, 901, 1, '",
      year, "-12-31', 0)"));

  auto stub = v1::EnrollmentService::NewStub(server.channel());
  PublishPlanOptions options;
  options.plan_id = 70;
  options.poll_interval = absl::Milliseconds(50);
  options.show_progress = true;
  std::ostringstream progress;
  const absl::StatusOr<v1::TrainingPlan> plan =
      RunPublishPlan(*stub, server.Token(auth::Role::kSystemAdmin, 1, 1), options, progress);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->state(), v1::PLAN_STATE_PUBLISHED);
  EXPECT_EQ(plan->assignment().state(), v1::PlanAssignment::STATE_DONE);
  EXPECT_EQ(plan->assignment().members_targeted(), 30);
  EXPECT_EQ(plan->assignment().members_assigned(), 30);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM enrollment WHERE course_id = 901"), 30);
  EXPECT_NE(progress.str().find("30/30 members"), std::string::npos) << progress.str();

  // Running it again (a retry) finds the plan published and the job done.
  const absl::StatusOr<v1::TrainingPlan> again =
      RunPublishPlan(*stub, server.Token(auth::Role::kSystemAdmin, 1, 1), options, progress);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->published_version(), 1);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM enrollment WHERE course_id = 901"), 30);
}

}  // namespace
}  // namespace lms::admin
