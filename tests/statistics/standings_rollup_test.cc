// The statistics rollups against the recount, through the real server: on a randomised
// site (transfers, category changes, withdrawals, credits and reversals, study, completed
// courses, two plans) today's figures read from the rollups equal the recount of the same
// day figure for figure (the hash), for the whole tree and each branch, and so do the
// members behind and the escalation view; changes made through the services' own paths
// (hours granted and reversed, a course waived, a transfer, a category change, a member
// leaving) reach the rollups through the queue and the outbox; a job that dies before
// committing loses nothing and a job run twice, or two at once, doubles nothing.

#include "services/statistics/standings_rollup.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/grpc/proto_time.h"
#include "common/time/china_time.h"
#include "lms/v1/activity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int kMembers = 80;
constexpr int64_t kFirstMember = 601;

class StandingsRollupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("standings_rollup");
    Seed();
    server_->RunTaskNow("statistics_rollups");
  }
  static void TearDownTestSuite() { delete server_; }

  static testing::TestDatabase& Db() { return server_->database(); }
  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static absl::CivilDay Today() { return TodayInChina(server_->clock().Now()); }
  static std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

  // Root, branches 2 and 3, groups 4 and 5 under 2 and 6 under 3; members scattered with
  // a year of history; a committee plan and one of branch 3.
  static void Seed() {
    auto& db = Db();
    testing::SeedRootAndTwoBranches(db);
    testing::SeedTreeHistory(db);
    db.Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (4, 2, '第一党小组', 'G4', 4, 1, NOW(), NOW()),"
        " (5, 2, '第二党小组', 'G5', 4, 1, NOW(), NOW()), (6, 3, '第三党小组', 'G6', 4, 1,"
        " NOW(), NOW())");
    db.Execute(
        "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES"
        " (4, 4, 0), (5, 5, 0), (6, 6, 0), (2, 4, 1), (2, 5, 1), (3, 6, 1), (1, 4, 2),"
        " (1, 5, 2), (1, 6, 2)");
    db.Execute(
        "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
        " changed_by) VALUES (4, 2, '2020-01-01', 1), (5, 2, '2020-01-01', 1),"
        " (6, 3, '2020-01-01', 1)");
    testing::SeedPublishedCourse(db, 3001, "党章");
    testing::SeedPublishedCourse(db, 3002, "党规");
    db.Execute(
        "INSERT INTO lesson (id, course_id, position, title, kind, body) VALUES"
        " (31, 3001, 1, '第一章', 1, ''), (32, 3002, 1, '第一章', 1, '')");
    db.Execute(
        "INSERT INTO training_plan (id, organization_id, year, state, version,"
        " published_version, created_by, create_time, update_time) VALUES"
        " (920, 1, 2026, 2, 2, 1, 1, NOW(), NOW()), (921, 3, 2026, 2, 2, 1, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
        " effective_date, changed_by, change_time) VALUES"
        " (920, 1, '党委计划', '', 0, '2026-01-05', 1, NOW()),"
        " (921, 1, '乙支部计划', '', 0, '2026-01-05', 1, NOW())");
    db.Execute(
        "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths)"
        " VALUES (920, 1, 1, 3200), (921, 1, 1, 4000), (921, 1, 3, NULL)");
    db.Execute(
        "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
        " due_date, position) VALUES (920, 1, 1, 3001, 1, '2026-06-30', 1),"
        " (921, 1, 3, 3002, 1, '2026-12-31', 1)");

    std::mt19937 random(20261201);
    const auto pick = [&](int n) { return static_cast<int>(random() % n); };
    const int64_t organizations[] = {2, 3, 4, 5, 6};
    const absl::CivilDay today = Today();
    for (int i = 0; i < kMembers; ++i) {
      const int64_t id = kFirstMember + i;
      // Ordinary (1), some also secretaries (3) or probationary (2, alone).
      const int64_t mask = pick(5) == 0 ? 4 : (pick(4) == 0 ? 10 : 2);
      int64_t organization = organizations[pick(5)];
      testing::SeedMemberSince(db, id, organization, mask, "2020-01-01");
      const absl::CivilDay change(2026, 1 + pick(10), 1 + pick(28));
      switch (pick(6)) {
        case 0: {  // transferred within the enterprise on `change`
          const int64_t target = organizations[pick(5)];
          if (target == organization) break;
          db.Execute(absl::StrCat("UPDATE member_assignment SET valid_to = '", Day(change - 1),
                                  "' WHERE member_id = ", id));
          db.Execute(absl::StrCat(
              "INSERT INTO member_assignment (member_id, organization_id, valid_from) VALUES (", id,
              ", ", target, ", '", Day(change), "')"));
          db.Execute(
              absl::StrCat("UPDATE member SET organization_id = ", target, " WHERE id = ", id));
          organization = target;
          break;
        }
        case 1:  // became a secretary on `change`
          db.Execute(absl::StrCat(
              "INSERT IGNORE INTO member_category_history (member_id, category, valid_from)"
              " VALUES (",
              id, ", 3, '", Day(change), "')"));
          db.Execute(
              absl::StrCat("UPDATE member SET category_mask = category_mask | 8 WHERE id = ", id));
          break;
        case 2:  // left on `change` (before today)
          if (change >= today) break;
          db.Execute(absl::StrCat("UPDATE member_status_history SET valid_to = '", Day(change - 1),
                                  "' WHERE member_id = ", id));
          db.Execute(absl::StrCat(
              "INSERT INTO member_status_history (member_id, status, valid_from) VALUES (", id,
              ", 3, '", Day(change), "')"));
          db.Execute(absl::StrCat("UPDATE member SET status = 3 WHERE id = ", id));
          break;
        default:
          break;
      }
      // Credits through the year, some reversed.
      for (int c = pick(4); c > 0; --c) {
        const std::string happen =
            absl::StrCat(Day(absl::CivilDay(2026, 1 + pick(11), 1 + pick(28))), " 03:00:00");
        testing::SeedCredit(db, id, absl::StrCat("manual:seed:", id, ":", c), 200 + pick(1500),
                            happen, happen);
      }
      // Study and completions.
      if (pick(3) != 0) {
        const std::string at =
            absl::StrCat(Day(absl::CivilDay(2026, 1 + pick(11), 1 + pick(28))), " 02:00:00");
        db.Execute(absl::StrCat(
            "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
            " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
            " active_seconds, credited_ms, rule_version) VALUES (",
            id, ", 'e", id, "', 31, 'd', 1, '", at, "', '", at, "', '", at, "', '", at,
            "', 0, 60, 60, ", 1000 * (1 + pick(600)), ", 0)"));
      }
      if (pick(3) == 0) {
        db.Execute(absl::StrCat(
            "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
            " completion_time) VALUES (",
            id, ", ", 3001 + pick(2), ", 2, 1, '",
            Day(absl::CivilDay(2026, 1 + pick(11), 1 + pick(28))), " 05:00:00')"));
      }
    }
    // Branch 2's Party lecture in March, held (scheduled, its start passed): every third
    // member present, a few absent.
    db.Execute(
        "INSERT INTO activity (id, organization_id, kind, state, version, start_time,"
        " sign_in_secret, created_by, create_time, update_time) VALUES"
        " (71, 2, 2, 1, 1, '2026-03-10 01:00:00', REPEAT('ab', 32), 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO activity_version (activity_id, version, title, content_category,"
        " description, location, start_time, end_time, sign_in_open_time, sign_in_close_time,"
        " sign_out_required, lecturer_name, lecturer_title, include_subtree, category_mask,"
        " hours_hundredths, lecturer_hundredths, hours_rule_version, change_reason, changed_by,"
        " change_time) VALUES (71, 1, '党课', 1, '', '会议室', '2026-03-10 01:00:00',"
        " '2026-03-10 03:00:00', '2026-03-10 00:30:00', '2026-03-10 03:00:00', 0, '', '', 1, 0,"
        " 0, 0, 0, '', 1, NOW())");
    for (int i = 0; i < kMembers; i += 3) {
      db.Execute(absl::StrCat(
          "INSERT INTO activity_attendance (activity_id, member_id, status, sign_in_method,"
          " sign_in_time, update_time) VALUES (71, ",
          kFirstMember + i, ", ", i % 12 == 0 ? 2 : 1, ", 1, '2026-03-10 01:05:00', NOW())"));
    }
    db.Execute("INSERT INTO admin_grant (member_id, role, organization_id) VALUES (601, 3, 2)");
    // Seeded behind the services' backs: queue everyone, as their writes would have.
    db.Execute(
        "INSERT INTO statistics_queue (member_id, queued_time) SELECT id, UTC_TIMESTAMP(6)"
        " FROM member");
  }

  // Holds the rollups' state row, so no job (the server's own task included) writes them
  // until the returned transaction ends.
  static db::Transaction HoldRollups() {
    absl::StatusOr<db::Transaction> holder =
        server_->runtime().pool().Begin(absl::Now() + absl::Seconds(60));
    EXPECT_TRUE(holder.ok());
    EXPECT_TRUE(holder
                    ->Query("SELECT id FROM statistics_rollup_state WHERE id = 1 FOR UPDATE", {},
                            [](const db::Row&) {})
                    .ok());
    return *std::move(holder);
  }

  static v1::StatisticsScope Scope(int64_t organization) {
    v1::StatisticsScope scope;
    scope.set_organization_id(organization);
    scope.set_year(static_cast<int>(Today().year()));
    return scope;
  }
  static v1::OrganizationStatistics Figures(const v1::StatisticsScope& scope) {
    v1::GetOrganizationStatisticsRequest request;
    *request.mutable_scope() = scope;
    v1::OrganizationStatistics out;
    const grpc::Status status = server_->statistics().GetOrganizationStatistics(
        server_->Context(Admin()).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  static v1::ListMembersBehindResponse Behind(const v1::StatisticsScope& scope) {
    v1::ListMembersBehindRequest request;
    *request.mutable_scope() = scope;
    request.set_page_size(100);
    v1::ListMembersBehindResponse out;
    const grpc::Status status =
        server_->statistics().ListMembersBehind(server_->Context(Admin()).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  static v1::MonthlyTrend Trend(const v1::StatisticsScope& scope) {
    v1::GetMonthlyTrendRequest request;
    *request.mutable_scope() = scope;
    v1::MonthlyTrend out;
    const grpc::Status status =
        server_->statistics().GetMonthlyTrend(server_->Context(Admin()).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  static v1::Escalation Escalation(const v1::StatisticsScope& scope) {
    v1::GetEscalationRequest request;
    *request.mutable_scope() = scope;
    v1::Escalation out;
    const grpc::Status status =
        server_->statistics().GetEscalation(server_->Context(Admin()).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  // Today's figures from the rollups equal the recount of today with the same bound, for
  // the whole tree and each branch; so do the members behind and the escalation view.
  static void ExpectRollupsEqualRecount() {
    for (const int64_t organization : {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{6}}) {
      SCOPED_TRACE(absl::StrCat("organisation ", organization));
      const v1::OrganizationStatistics rolled = Figures(Scope(organization));
      EXPECT_EQ(rolled.stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
      EXPECT_EQ(rolled.stamp().rollup_lag_ms(), 0);
      v1::StatisticsScope bounded = Scope(organization);
      *bounded.mutable_received_by() = rolled.stamp().received_by();
      const v1::OrganizationStatistics recounted = Figures(bounded);
      EXPECT_EQ(recounted.stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
      EXPECT_EQ(rolled.stamp().figures_hash(), recounted.stamp().figures_hash())
          << rolled.organization().DebugString() << "\nrecount:\n"
          << recounted.organization().DebugString();

      const v1::ListMembersBehindResponse behind = Behind(Scope(organization));
      EXPECT_EQ(behind.stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
      const v1::ListMembersBehindResponse behind_recounted = Behind(bounded);
      EXPECT_EQ(behind.total(), behind_recounted.total());
      EXPECT_EQ(behind.stamp().figures_hash(), behind_recounted.stamp().figures_hash());
      EXPECT_EQ(Escalation(Scope(organization)).stamp().figures_hash(),
                Escalation(bounded).stamp().figures_hash());

      const v1::MonthlyTrend trend = Trend(Scope(organization));
      EXPECT_EQ(trend.stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
      const v1::MonthlyTrend trend_recounted = Trend(bounded);
      EXPECT_EQ(trend_recounted.stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
      EXPECT_EQ(trend.stamp().figures_hash(), trend_recounted.stamp().figures_hash())
          << trend.DebugString() << "\nrecount:\n"
          << trend_recounted.DebugString();
    }
  }

  // Members active in March, by the recount (bounded by what was received by now).
  static int64_t ActiveInMarchRecounted() {
    v1::StatisticsScope scope = Scope(kRoot);
    grpc_util::SetTimestamp(server_->clock().Now(), scope.mutable_received_by());
    const v1::MonthlyTrend trend = Trend(scope);
    EXPECT_EQ(trend.stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
    return trend.months_size() >= 3 ? trend.months(2).active_members() : -1;
  }

  static int64_t Queued() { return Db().QueryInt("SELECT COUNT(*) FROM statistics_queue"); }

  static testing::TestServer* server_;
};
testing::TestServer* StandingsRollupTest::server_ = nullptr;

TEST_F(StandingsRollupTest, TodaysFiguresFromTheRollupsEqualTheRecount) {
  const v1::OrganizationStatistics root = Figures(Scope(kRoot));
  // The trend's rollup holds the members' months, all eleven that have figures.
  EXPECT_GT(Db().QueryInt("SELECT COUNT(*) FROM statistics_member_month"), kMembers);
  EXPECT_GE(Db().QueryInt("SELECT COUNT(DISTINCT month) FROM statistics_member_month"), 11);
  // The site is not empty, and leavers are not counted.
  EXPECT_GT(root.organization().categories(0).members(), 40);
  EXPECT_LT(root.organization().categories(0).members(), kMembers);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM statistics_member_standing"),
            root.organization().categories(0).members());
  ExpectRollupsEqualRecount();
}

TEST_F(StandingsRollupTest, ChangesThroughTheServicesReachTheRollups) {
  const std::string before = Figures(Scope(kRoot)).stamp().figures_hash();
  std::optional<db::Transaction> hold(HoldRollups());
  // Hours granted by an admin, then one reversed.
  v1::GrantHoursCreditRequest grant;
  grant.set_request_id("rollup-grant-1");
  grant.set_member_id(kFirstMember + 1);
  grant.mutable_hours()->set_hundredths(1250);
  grpc_util::SetDate(Today(), grant.mutable_happen_date());
  grant.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
  grant.set_title("党校培训");
  grant.set_reason("线下培训补录");
  v1::HoursCredit credit;
  grpc::Status status =
      server_->progress().GrantHoursCredit(server_->Context(Admin()).get(), grant, &credit);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::ReverseHoursCreditRequest reverse;
  reverse.set_request_id("rollup-reverse-1");
  reverse.set_credit_id(
      Db().QueryInt("SELECT MIN(id) FROM hours_credit WHERE source_key LIKE 'manual:seed:%'"));
  reverse.set_reason("重复录入");
  v1::HoursCredit reversal;
  status =
      server_->progress().ReverseHoursCredit(server_->Context(Admin()).get(), reverse, &reversal);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // A course waived for a member.
  v1::WaiveCompletionRequest waive;
  waive.set_request_id("rollup-waive-1");
  waive.set_member_id(kFirstMember + 2);
  waive.set_course_id(3001);
  waive.set_reason("已在党校完成同等学习");
  waive.set_credit_hours(true);
  v1::CourseProgress waived;
  status = server_->progress().WaiveCompletion(server_->Context(Admin()).get(), waive, &waived);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(Queued(), 0);

  // March's lecture cancelled, through the activity service: those present only there
  // were active in March no longer.
  const int64_t active_in_march = ActiveInMarchRecounted();
  v1::CancelActivityRequest cancel;
  cancel.set_request_id("rollup-cancel-1");
  cancel.set_activity_id(71);
  cancel.set_expected_version(1);
  cancel.set_reason("录入错误");
  v1::Activity cancelled;
  status =
      server_->activities().CancelActivity(server_->Context(Admin()).get(), cancel, &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(ActiveInMarchRecounted(), active_in_march);

  // A transfer, a category change and a member leaving, through the organisation service.
  const int64_t mover = Db().QueryInt(
      "SELECT MIN(id) FROM member WHERE status = 1 AND organization_id = 4 AND id > 601");
  v1::TransferMemberRequest transfer;
  transfer.set_request_id("rollup-transfer-1");
  transfer.set_member_id(mover);
  transfer.set_target_organization_id(6);
  grpc_util::SetDate(Today(), transfer.mutable_effective_date());
  transfer.set_expected_version(
      Db().QueryInt(absl::StrCat("SELECT version FROM member WHERE id = ", mover)));
  v1::Member moved;
  status =
      server_->organizations().TransferMember(server_->Context(Admin()).get(), transfer, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const auto& [member_id, change] : std::vector<std::pair<int64_t, std::string>>{
           {kFirstMember + 3, "category"}, {kFirstMember + 4, "leave"}}) {
    v1::GetMemberRequest get;
    get.set_member_id(member_id);
    v1::Member member;
    ASSERT_TRUE(
        server_->organizations().GetMember(server_->Context(Admin()).get(), get, &member).ok());
    if (member.status() != v1::MEMBER_STATUS_ACTIVE) continue;
    v1::UpdateMemberRequest update;
    update.set_request_id(absl::StrCat("rollup-update-", member_id));
    update.set_expected_version(member.version());
    if (change == "category") {
      member.add_categories(v1::MEMBER_CATEGORY_LEADING_CADRE);
    } else {
      member.set_status(v1::MEMBER_STATUS_INACTIVE);
    }
    *update.mutable_member() = member;
    v1::Member updated;
    status =
        server_->organizations().UpdateMember(server_->Context(Admin()).get(), update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Until the job runs, today's figures are the rollups' and say how far behind they are.
  server_->clock().Advance(absl::Seconds(30));
  const v1::OrganizationStatistics stale = Figures(Scope(kRoot));
  EXPECT_EQ(stale.stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
  EXPECT_EQ(stale.stamp().figures_hash(), before);
  EXPECT_GE(stale.stamp().rollup_lag_ms(), 20'000);
  hold.reset();
  server_->RunTaskNow("statistics_rollups");
  EXPECT_EQ(Queued(), 0);
  EXPECT_NE(Figures(Scope(kRoot)).stamp().figures_hash(), before);
  ExpectRollupsEqualRecount();
}

TEST_F(StandingsRollupTest, AJobThatDiesLosesNothingAndRunsTwiceDoubleNothing) {
  statistics::StandingsRollup job(server_->runtime().pool(), server_->clock());
  // A credit queued, then a job that cannot commit: the state row is held elsewhere
  // until the job's deadline passes.
  testing::SeedCredit(Db(), kFirstMember + 5, "manual:crash", 700, "2026-03-03 03:00:00",
                      "2026-03-03 03:00:00");
  Db().Execute(absl::StrCat("INSERT INTO statistics_queue (member_id, queued_time) VALUES (",
                            kFirstMember + 5, ", UTC_TIMESTAMP(6))"));
  {
    auto holder = server_->runtime().pool().Begin(absl::Now() + absl::Seconds(30));
    ASSERT_TRUE(holder.ok());
    ASSERT_TRUE(holder
                    ->Query("SELECT id FROM statistics_rollup_state WHERE id = 1 FOR UPDATE", {},
                            [](const db::Row&) {})
                    .ok());
    EXPECT_FALSE(job.RunOnce(absl::Now() + absl::Seconds(2)).ok());
  }
  EXPECT_EQ(Queued(), 1);
  // The figures still lag, and say so; then a run, and another, and two at once.
  EXPECT_EQ(Figures(Scope(kRoot)).stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
  ASSERT_TRUE(job.RunOnce(absl::Now() + absl::Seconds(30)).ok());
  EXPECT_EQ(Queued(), 0);
  ExpectRollupsEqualRecount();
  Db().Execute(
      absl::StrCat("INSERT INTO statistics_queue (member_id, queued_time) SELECT id,"
                   " UTC_TIMESTAMP(6) FROM member WHERE id >= ",
                   kFirstMember));
  std::thread other([&] { EXPECT_TRUE(job.RunOnce(absl::Now() + absl::Seconds(30)).ok()); });
  EXPECT_TRUE(job.RunOnce(absl::Now() + absl::Seconds(30)).ok());
  other.join();
  ASSERT_TRUE(job.RunOnce(absl::Now() + absl::Seconds(30)).ok());
  EXPECT_EQ(Queued(), 0);
  ExpectRollupsEqualRecount();
}

TEST_F(StandingsRollupTest, ARuleChangeRebuildsAndTheRecountAnswersMeanwhile) {
  // A new version of B's plan: the rollups no longer hold today's rules.
  Db().Execute("UPDATE training_plan SET version = version + 1 WHERE id = 921");
  EXPECT_EQ(Figures(Scope(kRoot)).stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
  server_->RunTaskNow("statistics_rollups");
  EXPECT_EQ(Figures(Scope(kRoot)).stamp().source(), v1::ReportStamp::SOURCE_ROLLUP);
  ExpectRollupsEqualRecount();
  // Past dates and plans are always recounted.
  v1::StatisticsScope plan = Scope(kRoot);
  plan.set_plan_id(920);
  EXPECT_EQ(Figures(plan).stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
}

}  // namespace
}  // namespace lms
