// A subtree's figures recounted as of a day, against a real database: members meeting
// their requirement, on track pro rata or behind, without any study; required courses
// completed; every figure by organisation (each direct child) and by category.
#include "services/statistics/figures_recount.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/db/run_transaction.h"
#include "services/statistics/figures_hash.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_database.h"

namespace lms::statistics {
namespace {

class FiguresRecountTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("figures_recount").release();
    auto& db = *database_;
    testing::SeedRootAndTwoBranches(db);
    testing::SeedPublishedCourse(db, 3001, "党章");
    testing::SeedTreeHistory(db);
    // 501 and 502 ordinary members of A; 503 ordinary member and secretary of B.
    testing::SeedMemberSince(db, 501, 2, 2, "2020-01-01");
    testing::SeedMemberSince(db, 502, 2, 2, "2020-01-01");
    testing::SeedMemberSince(db, 503, 3, 10, "2020-01-01");
    // The committee's plan: 32 h and course 3001 for ordinary members.
    db.Execute(
        "INSERT INTO training_plan (id, organization_id, year, state, version,"
        " published_version, created_by, create_time, update_time) VALUES"
        " (920, 1, 2026, 2, 2, 1, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
        " effective_date, changed_by, change_time) VALUES"
        " (920, 1, '党委计划', '', 0, '2026-01-05', 1, NOW())");
    db.Execute(
        "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths)"
        " VALUES (920, 1, 1, 3200)");
    db.Execute(
        "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
        " due_date, position) VALUES (920, 1, 1, 3001, 1, '2026-12-31', 1)");
    // 501: 33 h, the course completed on 1 May, two minutes' study; 502: 10 h, one minute.
    testing::SeedCredit(db, 501, "manual:1", 3300, "2026-03-01 02:00:00", "2026-03-01 02:00:00");
    testing::SeedCredit(db, 502, "manual:2", 1000, "2026-03-01 02:00:00", "2026-03-01 02:00:00");
    db.Execute(
        "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
        " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
        " active_seconds, credited_ms, rule_version) VALUES"
        " (501, 'a', 1, 'd', 1, '2026-04-01 02:00:00', '2026-04-01 02:00:00',"
        "  '2026-04-01 02:00:00', '2026-04-01 02:00:00', 0, 120, 120, 120000, 0),"
        " (502, 'b', 1, 'd', 1, '2026-04-01 02:00:00', '2026-04-01 02:00:00',"
        "  '2026-04-01 02:00:00', '2026-04-01 02:00:00', 0, 60, 60, 60000, 0)");
    db.Execute(
        "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
        " completion_time) VALUES (501, 3001, 2, 1, '2026-05-01 02:00:00')");
  }
  static void TearDownTestSuite() { delete database_; }

  static SubtreeFigures On(absl::CivilDay day) {
    absl::StatusOr<SubtreeFigures> figures = db::RunTransactionFor<SubtreeFigures>(
        database_->pool(), absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
          return FiguresRecount().Compute(tx, 1, 2026, day, absl::InfiniteFuture());
        });
    EXPECT_TRUE(figures.ok()) << figures.status();
    return *figures;
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* FiguresRecountTest::database_ = nullptr;

// {category, members, in plans, required enrolments, completed, hours credited, hours
// required, meeting, on track, without study, study ms}
CategoryFigures Row(int category, int64_t members, int64_t in_plans, int64_t required,
                    int64_t completed, int64_t credited, int64_t hours_required, int64_t meeting,
                    int64_t on_track, int64_t without, int64_t study_ms) {
  return {category,       members, in_plans, required, completed, credited,
          hours_required, meeting, on_track, without,  study_ms};
}

TEST_F(FiguresRecountTest, EveryFigureByOrganisationAndCategory) {
  // 2 July is day 183 of 365: 32 h pro rata is 16.04 h.
  EXPECT_EQ(ExpectedByDate(3200, 2026, absl::CivilDay(2026, 7, 2)), 1604);
  EXPECT_EQ(ExpectedByDate(3200, 2026, absl::CivilDay(2025, 12, 31)), 0);
  EXPECT_EQ(ExpectedByDate(3200, 2026, absl::CivilDay(2027, 1, 1)), 3200);

  const SubtreeFigures figures = On(absl::CivilDay(2026, 7, 2));
  EXPECT_EQ(figures.organization.organization_id, 1);
  ASSERT_EQ(figures.organization.categories.size(), 3u);
  const CategoryFigures all = Row(0, 3, 3, 3, 1, 4300, 9600, 1, 1, 1, 180000);
  EXPECT_TRUE(figures.organization.categories[0] == all);
  // Everyone is an ordinary member; 503 is also the secretary (owing the plan's 32 h).
  CategoryFigures ordinary = all;
  ordinary.category = 1;
  EXPECT_TRUE(figures.organization.categories[1] == ordinary);
  EXPECT_TRUE(figures.organization.categories[2] == Row(3, 1, 1, 1, 0, 0, 3200, 0, 0, 1, 0));

  ASSERT_EQ(figures.children.size(), 2u);
  EXPECT_EQ(figures.children[0].organization_id, 2);
  EXPECT_TRUE(figures.children[0].categories[0] == Row(0, 2, 2, 2, 1, 4300, 6400, 1, 1, 0, 180000));
  EXPECT_EQ(figures.children[1].organization_id, 3);
  EXPECT_TRUE(figures.children[1].categories[0] == Row(0, 1, 1, 1, 0, 0, 3200, 0, 0, 1, 0));

  // On 30 April the course was not yet completed; 501 had met the requirement in March.
  const SubtreeFigures april = On(absl::CivilDay(2026, 4, 30));
  EXPECT_EQ(april.organization.categories[0].completed_enrollments, 0);
  EXPECT_EQ(april.organization.categories[0].members_meeting_requirement, 1);
  // Before the plan took effect: the settings' defaults, nobody in a plan.
  const SubtreeFigures january = On(absl::CivilDay(2026, 1, 2));
  EXPECT_EQ(january.organization.categories[0].members_in_plans, 0);
  EXPECT_EQ(january.organization.categories[0].hours_required, 3200 + 3200 + 5600);
  EXPECT_EQ(january.organization.categories[0].members_without_study, 3);
}

TEST_F(FiguresRecountTest, EqualFiguresHashEquallyAndAnyChangeShows) {
  // The canonical form, checked against an independent SHA-256 of its text.
  SubtreeFigures small;
  small.organization.organization_id = 7;
  small.organization.categories.push_back(Row(0, 2, 1, 1, 0, 3200, 6400, 1, 1, 0, 60000));
  EXPECT_EQ(FiguresHash(small), "e5ab0b825f6231a11ef1909f1c59b2b3ae9b5add7a0ea9cf374be48dd8f3b152");
  SubtreeFigures changed = small;
  changed.organization.categories[0].study_ms += 1;
  EXPECT_NE(FiguresHash(changed), FiguresHash(small));

  // Recounted twice, the same; another day's figures differ.
  EXPECT_EQ(FiguresHash(On(absl::CivilDay(2026, 7, 2))),
            FiguresHash(On(absl::CivilDay(2026, 7, 2))));
  EXPECT_NE(FiguresHash(On(absl::CivilDay(2026, 7, 2))),
            FiguresHash(On(absl::CivilDay(2026, 4, 30))));
}

}  // namespace
}  // namespace lms::statistics
