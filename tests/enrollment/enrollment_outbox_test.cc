// The crash window between a member change and its assignment: the organisation service
// commits a member and its outbox event; the enrolment consumer dies after applying the
// assignment but before committing. Nothing of it remains; the restarted consumer
// assigns exactly once, and a later run adds nothing.

#include <gtest/gtest.h>

#include "common/db/run_transaction.h"
#include "common/outbox/outbox.h"
#include "common/outbox/outbox_consumer.h"
#include "common/time/china_time.h"
#include "common/time/clock.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/member_reconciler.h"
#include "services/enrollment/plan_repository.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_database.h"

namespace lms::enrollment {
namespace {

using ::lms::testing::IsOk;

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

TEST(EnrollmentOutboxTest, AnAssignmentLostInACrashIsMadeOnceAfterRestart) {
  const std::unique_ptr<testing::TestDatabase> db =
      testing::TestDatabase::Create("enrollment_outbox");
  testing::SeedRootAndTwoBranches(*db);
  testing::SeedPublishedCourse(*db, 901, "学习党章");
  testing::SeedPublishedCourse(*db, 902, "学习党规");
  const RealClock clock;
  const int year = static_cast<int>(TodayInChina(clock.Now()).year());
  // A published plan of branch A requiring both courses of ordinary members.
  testing::SeedDraftPlan(*db, 50, 2, year);
  db->Execute("UPDATE training_plan SET state = 2, published_version = 1, assign_state = 3");
  db->Execute(
      "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask, changed_by,"
      " change_time) VALUES (50, 1, '甲支部计划', '', 0, 1, NOW())");
  db->Execute("INSERT INTO plan_category (plan_id, plan_version, category) VALUES (50, 1, 1)");
  db->Execute(absl::StrCat(
      "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required, due_date,"
      " position) VALUES (50, 1, 1, 901, 1, '",
      year, "-12-31', 0), (50, 1, 1, 902, 1, '", year, "-12-31', 1)"));

  // The organisation service's transaction: the member and its event, together.
  const outbox::OutboxWriter writer;
  ASSERT_THAT(
      db::RunTransaction(
          db->pool(), Soon(),
          [&](db::Transaction& tx) -> absl::Status {
            absl::StatusOr<uint64_t> inserted = tx.Execute(
                "INSERT INTO member (id, name, member_number, organization_id, category_mask,"
                " status, version, create_time, update_time) VALUES (77, '新党员', 'N77', 2,"
                " 2, 1, 1, NOW(), NOW())",
                {});
            if (!inserted.ok()) return inserted.status();
            return writer.Append(tx, {outbox::kMemberJoined, 77, 2, std::nullopt}, clock.Now());
          }),
      IsOk());

  const PlanRepository plans;
  const EnrollmentRepository enrollments;
  const MemberDirectory members;
  const MemberReconciler reconciler(plans, enrollments, members);
  const auto reconcile = [&](db::Transaction& tx,
                             const std::vector<outbox::DeliveredEvent>& events) {
    return reconciler.Handle(tx, events, clock.Now(), TodayInChina(clock.Now()));
  };

  // The consumer dies after assigning, before its commit.
  const outbox::OutboxConsumer dying(
      db->pool(), clock, "enrollment",
      [&](db::Transaction& tx, const std::vector<outbox::DeliveredEvent>& events) -> absl::Status {
        if (absl::Status done = reconcile(tx, events); !done.ok()) return done;
        EXPECT_EQ(tx.QueryInt64("SELECT COUNT(*) FROM enrollment WHERE member_id = 77", {})
                      .value()
                      .value_or(0),
                  2);
        return absl::UnavailableError("process killed");
      });
  EXPECT_FALSE(dying.RunOnce(Soon()).ok());
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM enrollment WHERE member_id = 77"), 0);

  // After the restart: assigned once, and once only.
  const outbox::OutboxConsumer restarted(db->pool(), clock, "enrollment", reconcile);
  absl::StatusOr<int64_t> delivered = restarted.RunOnce(Soon());
  ASSERT_THAT(delivered.status(), IsOk());
  EXPECT_EQ(*delivered, 1);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM enrollment WHERE member_id = 77"), 2);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM enrollment_reason WHERE member_id = 77"), 2);
  delivered = restarted.RunOnce(Soon());
  ASSERT_THAT(delivered.status(), IsOk());
  EXPECT_EQ(*delivered, 0);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM enrollment WHERE member_id = 77"), 2);
}

}  // namespace
}  // namespace lms::enrollment
