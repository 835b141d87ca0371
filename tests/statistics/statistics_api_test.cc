// Statistics through a real gRPC channel against a real database, on a small hand-made
// site whose every figure is known: an organisation and its branches as of a day with the
// report's stamp and hash; a late credit that changes today's figures but not those asked
// with the earlier stamp's received-by; a plan's scope and who may ask for it; members
// behind with their reasons, orders, category filter and pages; the children's ranking;
// the escalation view with the admins to chase; the monthly trend; courses with the
// drop-off lesson; organisational life against the cadence; tests; month snapshots that
// freeze once and never change; bad input with exact codes.

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/grpc/proto_time.h"
#include "common/time/china_time.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int64_t kBranchA = 2;
constexpr int64_t kBranchB = 3;
constexpr int64_t kPlan = 920;

class StatisticsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("statistics_api");
    testing::SeedKnownStatisticsSite(server_->database());
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static std::string AdminOf(int64_t organization) {
    return server_->Token(Role::kOrgAdmin, 501, organization);
  }

  static v1::StatisticsScope Scope(int64_t organization = kRoot, int year = 2026,
                                   absl::CivilDay as_of = absl::CivilDay(2026, 7, 2)) {
    v1::StatisticsScope scope;
    scope.set_organization_id(organization);
    scope.set_year(year);
    grpc_util::SetDate(as_of, scope.mutable_as_of());
    return scope;
  }
  static v1::StatisticsScope PlanScope(int64_t organization, int64_t plan) {
    v1::StatisticsScope scope = Scope(organization);
    scope.set_plan_id(plan);
    return scope;
  }

  static grpc::Status Organization(const v1::StatisticsScope& scope,
                                   v1::OrganizationStatistics* out, const std::string& token = "") {
    v1::GetOrganizationStatisticsRequest request;
    *request.mutable_scope() = scope;
    return server_->statistics().GetOrganizationStatistics(
        server_->Context(token.empty() ? Admin() : token).get(), request, out);
  }
  static v1::OrganizationStatistics OrganizationOk(const v1::StatisticsScope& scope) {
    v1::OrganizationStatistics out;
    const grpc::Status status = Organization(scope, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  static grpc::Status Behind(v1::ListMembersBehindRequest request,
                             v1::ListMembersBehindResponse* out) {
    return server_->statistics().ListMembersBehind(server_->Context(Admin()).get(), request, out);
  }
  static v1::OrganizationStatistics Snapshot(int year, int month, grpc::Status* status,
                                             int64_t organization = kRoot) {
    v1::GetMonthSnapshotRequest request;
    request.set_organization_id(organization);
    request.set_year(year);
    request.set_month(month);
    v1::OrganizationStatistics out;
    *status =
        server_->statistics().GetMonthSnapshot(server_->Context(Admin()).get(), request, &out);
    return out;
  }
  // A late kiosk sync: a credit that happened on `happen`, recorded by the server's clock
  // after moving it on (so after any stamp taken before).
  static void LateCredit(int64_t member, const std::string& key, const std::string& happen) {
    server_->clock().Advance(absl::Seconds(2));
    const std::string recorded =
        absl::FormatTime("%Y-%m-%d %H:%M:%E6S", server_->clock().Now(), absl::UTCTimeZone());
    testing::SeedCredit(server_->database(), member, key, 500, happen, recorded);
  }

  static testing::TestServer* server_;
};
testing::TestServer* StatisticsApiTest::server_ = nullptr;

TEST_F(StatisticsApiTest, MembersByTheShareOfTheirHoursRequirement) {
  v1::GetHoursDistributionRequest request;
  *request.mutable_scope() = Scope();
  v1::HoursDistribution distribution;
  ASSERT_TRUE(server_->statistics()
                  .GetHoursDistribution(server_->Context(Admin()).get(), request, &distribution)
                  .ok());
  // 503: none of 40 h; 502: 10 of 32 h (31 %); 501: 33 of 32 h, met.
  ASSERT_EQ(distribution.buckets_size(), 5);
  const int64_t expected[] = {1, 1, 0, 0, 1};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(distribution.buckets(i).from_percent(), i * 25);
    EXPECT_EQ(distribution.buckets(i).to_percent(), i == 4 ? 0 : i * 25 + 25);
    EXPECT_EQ(distribution.buckets(i).members(), expected[i]) << i;
  }
  EXPECT_EQ(distribution.members_without_requirement(), 0);
  EXPECT_EQ(distribution.stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
  EXPECT_EQ(distribution.stamp().figures_hash().size(), 64u);
  request.set_category(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  ASSERT_TRUE(server_->statistics()
                  .GetHoursDistribution(server_->Context(Admin()).get(), request, &distribution)
                  .ok());
  EXPECT_EQ(distribution.buckets(0).members(), 1);
  EXPECT_EQ(distribution.buckets(4).members(), 0);
  request.set_category(static_cast<v1::MemberCategory>(8));
  EXPECT_EQ(server_->statistics()
                .GetHoursDistribution(server_->Context(Admin()).get(), request, &distribution)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A branch's admin, outside the branch.
  request.set_category(v1::MEMBER_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(
      server_->statistics()
          .GetHoursDistribution(server_->Context(AdminOf(kBranchA)).get(), request, &distribution)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StatisticsApiTest, AnOrganisationAndItsBranchesAsOfADayWithTheStamp) {
  const v1::OrganizationStatistics report = OrganizationOk(Scope());
  const v1::OrganizationFigures& root = report.organization();
  EXPECT_EQ(root.organization_id(), kRoot);
  EXPECT_EQ(root.name(), "公司党委");
  EXPECT_EQ(root.kind(), v1::ORGANIZATION_KIND_COMMITTEE);
  ASSERT_EQ(root.categories_size(), 3);
  const v1::CategoryFigures& all = root.categories(0);
  EXPECT_EQ(all.category(), v1::MEMBER_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(all.members(), 3);
  EXPECT_EQ(all.members_in_plans(), 3);
  EXPECT_EQ(all.required_enrollments(), 3);
  EXPECT_EQ(all.completed_enrollments(), 1);
  EXPECT_EQ(all.completion_permille(), 333);
  EXPECT_EQ(all.hours_credited().hundredths(), 4300);
  // 503 owes the higher of the two plans covering B: B's 40 h.
  EXPECT_EQ(all.hours_required().hundredths(), 10400);
  EXPECT_EQ(all.members_meeting_requirement(), 1);
  EXPECT_EQ(all.coverage_permille(), 333);
  EXPECT_EQ(all.members_on_track(), 1);
  EXPECT_EQ(all.members_without_study(), 1);
  EXPECT_EQ(all.effective_study_seconds(), 180);
  EXPECT_EQ(root.categories(2).category(), v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  EXPECT_EQ(root.categories(2).members(), 1);

  ASSERT_EQ(report.children_size(), 2);
  EXPECT_EQ(report.children(0).name(), "甲支部");
  EXPECT_EQ(report.children(0).categories(0).members(), 2);
  EXPECT_EQ(report.children(0).categories(0).coverage_permille(), 500);
  EXPECT_EQ(report.children(1).name(), "乙支部");
  EXPECT_EQ(report.children(1).categories(0).members_without_study(), 1);

  const v1::ReportStamp& stamp = report.stamp();
  EXPECT_EQ(stamp.as_of().month(), 7);
  EXPECT_EQ(stamp.as_of().day(), 2);
  EXPECT_EQ(stamp.source(), v1::ReportStamp::SOURCE_RECOUNT);
  EXPECT_NEAR(stamp.received_by().seconds(), absl::ToUnixSeconds(server_->clock().Now()), 5);
  ASSERT_EQ(stamp.plan_versions_size(), 2);
  EXPECT_EQ(stamp.plan_versions(0).plan_id(), kPlan);
  EXPECT_EQ(stamp.plan_versions(0).version(), 1);
  EXPECT_EQ(stamp.plan_versions(1).plan_id(), 921);
  // The secretary's default came from no change: the default (0).
  ASSERT_GE(stamp.setting_change_ids_size(), 1);
  EXPECT_EQ(stamp.setting_change_ids(0), 0);
  EXPECT_EQ(stamp.figures_hash().size(), 64u);

  // A branch admin reads its branch, not the other one nor the whole.
  v1::OrganizationStatistics branch;
  EXPECT_TRUE(Organization(Scope(kBranchA), &branch, AdminOf(kBranchA)).ok());
  EXPECT_EQ(branch.organization().categories(0).members(), 2);
  EXPECT_EQ(branch.children_size(), 0);
  v1::OrganizationStatistics refused;
  EXPECT_EQ(Organization(Scope(kBranchB), &refused, AdminOf(kBranchA)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Organization(Scope(kRoot), &refused, AdminOf(kBranchA)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StatisticsApiTest, AReportAskedAgainWithItsReceivedByIsTheSameAfterALateSync) {
  const v1::OrganizationStatistics before = OrganizationOk(Scope());
  LateCredit(503, "manual:late-june", "2026-06-20 02:00:00");

  const v1::OrganizationStatistics now = OrganizationOk(Scope());
  EXPECT_EQ(now.organization().categories(0).hours_credited().hundredths(), 4800);
  EXPECT_NE(now.stamp().figures_hash(), before.stamp().figures_hash());

  v1::StatisticsScope reproduced = Scope();
  *reproduced.mutable_received_by() = before.stamp().received_by();
  const v1::OrganizationStatistics again = OrganizationOk(reproduced);
  EXPECT_EQ(again.organization().categories(0).hours_credited().hundredths(), 4300);
  EXPECT_EQ(again.stamp().figures_hash(), before.stamp().figures_hash());
  EXPECT_EQ(again.stamp().received_by().seconds(), before.stamp().received_by().seconds());

  // As of a day before it happened, the late credit is not there at all.
  const v1::OrganizationStatistics june =
      OrganizationOk(Scope(kRoot, 2026, absl::CivilDay(2026, 6, 19)));
  EXPECT_EQ(june.organization().categories(0).hours_credited().hundredths(), 4300);
  server_->database().Execute("DELETE FROM hours_credit WHERE source_key = 'manual:late-june'");
}

TEST_F(StatisticsApiTest, APlansScopeCountsItsMembersAndBranchesReadItUnderTheCommittee) {
  // B's own plan speaks for B's ordinary members: 40 h.
  const v1::OrganizationStatistics own = OrganizationOk(PlanScope(kBranchB, 921));
  EXPECT_EQ(own.organization().categories(0).members(), 1);
  EXPECT_EQ(own.organization().categories(0).hours_required().hundredths(), 4000);
  // The committee's plan read from the root counts everyone it covers.
  const v1::OrganizationStatistics committee = OrganizationOk(PlanScope(kRoot, kPlan));
  EXPECT_EQ(committee.organization().categories(0).members(), 3);
  // A's admin reads A under the committee's plan (set above A).
  v1::OrganizationStatistics branch;
  const grpc::Status status = Organization(PlanScope(kBranchA, kPlan), &branch, AdminOf(kBranchA));
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(branch.organization().categories(0).members(), 2);
  // B's plan does not cover A.
  v1::OrganizationStatistics refused;
  EXPECT_EQ(Organization(PlanScope(kBranchA, 921), &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Organization(PlanScope(kRoot, 922), &refused).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Organization(PlanScope(kRoot, 999), &refused).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatisticsApiTest, MembersBehindWithReasonsOrdersFiltersAndPages) {
  v1::ListMembersBehindRequest request;
  *request.mutable_scope() = Scope();
  request.set_page_size(1);
  v1::ListMembersBehindResponse first;
  ASSERT_TRUE(Behind(request, &first).ok());
  EXPECT_EQ(first.total(), 2);
  ASSERT_EQ(first.members_size(), 1);
  // 2 July: 503 owes B's 40 h, 20.05 h pro rata, and has nothing; 502 owes 32 h, 16.04 h
  // pro rata, and has 10 h; the committee's course was due on 30 June.
  const v1::MemberBehind& worst = first.members(0);
  EXPECT_EQ(worst.member_id(), 503);
  EXPECT_EQ(worst.name(), "党员503");
  EXPECT_EQ(worst.member_number(), "SM503");
  EXPECT_EQ(worst.organization_name(), "乙支部");
  EXPECT_EQ(worst.plan_id(), 921);
  EXPECT_EQ(worst.plan_title(), "乙支部计划");
  EXPECT_EQ(worst.reason(), v1::BEHIND_REASON_HOURS_AND_OVERDUE);
  EXPECT_EQ(worst.hours_required().hundredths(), 4000);
  EXPECT_EQ(worst.hours_expected().hundredths(), 2005);
  EXPECT_EQ(worst.shortfall().hundredths(), 2005);
  EXPECT_EQ(worst.overdue_courses(), 1);
  EXPECT_FALSE(worst.has_last_study_time());
  ASSERT_EQ(worst.categories_size(), 2);

  request.set_page_token(first.next_page_token());
  v1::ListMembersBehindResponse second;
  ASSERT_TRUE(Behind(request, &second).ok());
  ASSERT_EQ(second.members_size(), 1);
  EXPECT_EQ(second.members(0).member_id(), 502);
  EXPECT_EQ(second.members(0).shortfall().hundredths(), 604);
  EXPECT_EQ(second.members(0).plan_id(), kPlan);
  EXPECT_EQ(second.members(0).plan_title(), "党委计划");
  EXPECT_EQ(second.members(0).last_study_time().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2026, 4, 1, 2, 0, 0), absl::UTCTimeZone())));
  EXPECT_TRUE(second.next_page_token().empty());

  // By organisation: A's 502 first; a secretary filter: 503 alone.
  request.clear_page_token();
  request.set_page_size(10);
  request.set_order(v1::MEMBERS_BEHIND_ORDER_ORGANIZATION);
  v1::ListMembersBehindResponse by_organization;
  ASSERT_TRUE(Behind(request, &by_organization).ok());
  ASSERT_EQ(by_organization.members_size(), 2);
  EXPECT_EQ(by_organization.members(0).member_id(), 502);
  request.set_category(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  v1::ListMembersBehindResponse secretaries;
  ASSERT_TRUE(Behind(request, &secretaries).ok());
  ASSERT_EQ(secretaries.members_size(), 1);
  EXPECT_EQ(secretaries.members(0).member_id(), 503);
  EXPECT_EQ(secretaries.total(), 1);

  // In April nobody was overdue and 501 was on track: 502 behind on hours only.
  v1::ListMembersBehindRequest april;
  *april.mutable_scope() = Scope(kBranchA, 2026, absl::CivilDay(2026, 4, 2));
  v1::ListMembersBehindResponse early;
  ASSERT_TRUE(Behind(april, &early).ok());
  EXPECT_EQ(early.total(), 0);

  // A page token from another scope or a hand-made one is refused.
  april.set_page_token(first.next_page_token());
  EXPECT_EQ(Behind(april, &early).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(StatisticsApiTest, RankingEscalationAndTrend) {
  v1::RankChildOrganizationsRequest rank;
  *rank.mutable_scope() = Scope();
  v1::RankChildOrganizationsResponse ranking;
  ASSERT_TRUE(server_->statistics()
                  .RankChildOrganizations(server_->Context(Admin()).get(), rank, &ranking)
                  .ok());
  ASSERT_EQ(ranking.best_size(), 2);
  EXPECT_EQ(ranking.best(0).organization_id(), kBranchA);
  EXPECT_EQ(ranking.best(0).rank(), 1);
  EXPECT_EQ(ranking.best(0).coverage_permille(), 500);
  EXPECT_EQ(ranking.best(0).completion_permille(), 500);
  EXPECT_EQ(ranking.worst(0).organization_id(), kBranchB);
  EXPECT_EQ(ranking.worst(0).rank(), 2);
  EXPECT_EQ(ranking.worst(0).coverage_permille(), 0);

  v1::GetEscalationRequest escalate;
  *escalate.mutable_scope() = Scope();
  v1::Escalation escalation;
  ASSERT_TRUE(server_->statistics()
                  .GetEscalation(server_->Context(Admin()).get(), escalate, &escalation)
                  .ok());
  ASSERT_EQ(escalation.rows_size(), 2);
  EXPECT_EQ(escalation.rows(0).organization_id(), kBranchA);
  EXPECT_EQ(escalation.rows(0).members_behind(), 1);
  EXPECT_EQ(escalation.rows(0).members_overdue(), 1);
  ASSERT_EQ(escalation.rows(0).admin_member_ids_size(), 1);
  EXPECT_EQ(escalation.rows(0).admin_member_ids(0), 501);
  EXPECT_EQ(escalation.rows(0).admin_names(0), "党员501");
  EXPECT_EQ(escalation.rows(1).organization_id(), kBranchB);
  EXPECT_EQ(escalation.rows(1).admin_member_ids_size(), 0);

  v1::GetMonthlyTrendRequest trend_request;
  *trend_request.mutable_scope() = Scope();
  v1::MonthlyTrend trend;
  ASSERT_TRUE(server_->statistics()
                  .GetMonthlyTrend(server_->Context(Admin()).get(), trend_request, &trend)
                  .ok());
  ASSERT_EQ(trend.months_size(), 7);
  EXPECT_EQ(trend.months(2).month(), 3);
  EXPECT_EQ(trend.months(2).hours_credited().hundredths(), 4300);
  // March: two credited, 501 also present at the theme day; April: two studied.
  EXPECT_EQ(trend.months(2).active_members(), 2);
  EXPECT_EQ(trend.months(3).active_members(), 2);
  EXPECT_EQ(trend.months(4).completions(), 1);
  EXPECT_EQ(trend.months(5).active_members(), 0);
}

TEST_F(StatisticsApiTest, CoursesActivitiesAndTests) {
  v1::ListCourseStatisticsRequest courses_request;
  *courses_request.mutable_scope() = Scope();
  v1::ListCourseStatisticsResponse courses;
  ASSERT_TRUE(server_->statistics()
                  .ListCourseStatistics(server_->Context(Admin()).get(), courses_request, &courses)
                  .ok());
  ASSERT_EQ(courses.courses_size(), 1);
  const v1::CourseFigures& course = courses.courses(0);
  EXPECT_EQ(course.title(), "党章");
  EXPECT_EQ(course.enrolled(), 3);
  EXPECT_EQ(course.started(), 2);
  EXPECT_EQ(course.completed(), 1);
  // 10 January to 1 May: 111 days.
  EXPECT_EQ(course.average_tenths_of_days_to_complete(), 1110);
  EXPECT_EQ(course.drop_off_lesson_id(), 31);
  EXPECT_EQ(course.drop_off_lesson_title(), "第一章 党员");
  EXPECT_EQ(course.stopped_at_drop_off(), 1);

  v1::GetActivityStatisticsRequest activities_request;
  *activities_request.mutable_scope() = Scope();
  v1::ActivityStatistics activities;
  ASSERT_TRUE(
      server_->statistics()
          .GetActivityStatistics(server_->Context(Admin()).get(), activities_request, &activities)
          .ok());
  const v1::ActivityKindFigures* theme_day = nullptr;
  for (const v1::ActivityKindFigures& kind : activities.kinds()) {
    if (kind.kind() == v1::ACTIVITY_KIND_THEME_PARTY_DAY) theme_day = &kind;
  }
  ASSERT_NE(theme_day, nullptr);
  EXPECT_EQ(theme_day->held(), 1);
  // Monthly for each of the two branches: 24 a year, January to June owed by 2 July.
  EXPECT_EQ(theme_day->expected_for_year(), 24);
  EXPECT_EQ(theme_day->expected_by_date(), 12);
  EXPECT_EQ(theme_day->organizations_behind(), 2);
  EXPECT_EQ(theme_day->attendance_permille(), 500);
  activities_request.mutable_scope()->set_plan_id(kPlan);
  EXPECT_EQ(
      server_->statistics()
          .GetActivityStatistics(server_->Context(Admin()).get(), activities_request, &activities)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  v1::GetAssessmentStatisticsRequest tests_request;
  *tests_request.mutable_scope() = Scope();
  v1::AssessmentStatistics tests;
  ASSERT_TRUE(server_->statistics()
                  .GetAssessmentStatistics(server_->Context(Admin()).get(), tests_request, &tests)
                  .ok());
  EXPECT_EQ(tests.attempts(), 2);
  EXPECT_EQ(tests.members_attempted(), 2);
  EXPECT_EQ(tests.members_passed(), 1);
  EXPECT_EQ(tests.pass_permille(), 500);
  ASSERT_EQ(tests.score_distribution_size(), 10);
  EXPECT_EQ(tests.score_distribution(8).attempts(), 1);
  EXPECT_EQ(tests.score_distribution(4).attempts(), 1);
  ASSERT_EQ(tests.content_categories_size(), 1);
  EXPECT_EQ(tests.content_categories(0).answered(), 2);
  EXPECT_EQ(tests.content_categories(0).right_permille(), 500);
  // Answered twice: not enough to rank among the most missed.
  EXPECT_EQ(tests.most_missed_size(), 0);
  // Before the test was taken: nothing.
  *tests_request.mutable_scope() = Scope(kRoot, 2026, absl::CivilDay(2026, 4, 19));
  ASSERT_TRUE(server_->statistics()
                  .GetAssessmentStatistics(server_->Context(Admin()).get(), tests_request, &tests)
                  .ok());
  EXPECT_EQ(tests.attempts(), 0);
  tests_request.set_paper_id(999);
  EXPECT_EQ(server_->statistics()
                .GetAssessmentStatistics(server_->Context(Admin()).get(), tests_request, &tests)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatisticsApiTest, AMonthSnapshotFreezesOnceAndNeverChanges) {
  // The task ran once as the server started, perhaps while the site was being seeded:
  // start from nothing frozen.
  server_->database().Execute("DELETE FROM statistics_month_figures");
  server_->database().Execute("DELETE FROM statistics_month");
  grpc::Status status;
  // The clock is today's; June 2026 is long due, but the task has not run since.
  Snapshot(2026, 6, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  server_->RunTaskNow("statistics_snapshots");
  const v1::OrganizationStatistics june = Snapshot(2026, 6, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(june.stamp().source(), v1::ReportStamp::SOURCE_SNAPSHOT);
  EXPECT_EQ(june.stamp().as_of().day(), 30);
  EXPECT_EQ(june.organization().categories(0).members(), 3);
  EXPECT_EQ(june.organization().categories(0).hours_credited().hundredths(), 4300);
  ASSERT_EQ(june.children_size(), 2);
  EXPECT_EQ(june.children(0).name(), "甲支部");
  ASSERT_EQ(june.stamp().plan_versions_size(), 2);

  // The snapshot is the recount of its day with its received-by, figure for figure.
  v1::StatisticsScope same = Scope(kRoot, 2026, absl::CivilDay(2026, 6, 30));
  *same.mutable_received_by() = june.stamp().received_by();
  EXPECT_EQ(OrganizationOk(same).stamp().figures_hash(), june.stamp().figures_hash());

  // A late sync for June changes the recount but never the snapshot, even frozen again.
  LateCredit(503, "manual:late-june-2", "2026-06-15 02:00:00");
  server_->RunTaskNow("statistics_snapshots");
  const v1::OrganizationStatistics again = Snapshot(2026, 6, &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(again.stamp().figures_hash(), june.stamp().figures_hash());
  EXPECT_EQ(again.organization().categories(0).hours_credited().hundredths(), 4300);
  EXPECT_EQ(OrganizationOk(Scope(kRoot, 2026, absl::CivilDay(2026, 6, 30)))
                .organization()
                .categories(0)
                .hours_credited()
                .hundredths(),
            4800);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM statistics_month WHERE year = 2026 AND month = 6"),
            1);
  server_->database().Execute("DELETE FROM hours_credit WHERE source_key = 'manual:late-june-2'");

  // A branch's snapshot; the current month is not frozen yet, and says when it will be.
  const v1::OrganizationStatistics branch = Snapshot(2026, 6, &status, kBranchB);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(branch.organization().categories(0).members(), 1);
  const absl::CivilDay today = TodayInChina(server_->clock().Now());
  Snapshot(static_cast<int>(today.year()), today.month(), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("freezes on"), std::string::npos) << status.error_message();
  Snapshot(2026, 13, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  Snapshot(2026, 6, &status, 999);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatisticsApiTest, BadScopesAreRefusedNamingTheField) {
  v1::OrganizationStatistics out;
  v1::StatisticsScope no_period = Scope();
  no_period.clear_year();
  grpc::Status status = Organization(no_period, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scope.period"), std::string::npos);

  v1::StatisticsScope future = Scope();
  future.mutable_as_of()->set_year(2099);
  status = Organization(future, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scope.as_of"), std::string::npos);

  v1::StatisticsScope impossible = Scope();
  impossible.mutable_as_of()->set_month(13);
  EXPECT_EQ(Organization(impossible, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::StatisticsScope before_year = Scope(kRoot, 2026, absl::CivilDay(2025, 12, 31));
  status = Organization(before_year, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::StatisticsScope late = Scope();
  late.mutable_received_by()->set_seconds(absl::ToUnixSeconds(server_->clock().Now()) + 3600);
  status = Organization(late, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scope.received_by"), std::string::npos);

  EXPECT_EQ(Organization(Scope(kRoot, 1999), &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // An organisation created after the date did not exist then.
  server_->database().Execute(
      "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
      " update_time) VALUES (4, 1, '丙支部', 'C', 3, 1, NOW(), NOW())");
  server_->database().Execute(
      "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES (4, 4, 0),"
      " (1, 4, 1)");
  server_->database().Execute(
      "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
      " changed_by) VALUES (4, 1, UTC_TIMESTAMP(6), 1)");
  EXPECT_EQ(Organization(Scope(4), &out).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::RankChildOrganizationsRequest rank;
  *rank.mutable_scope() = Scope();
  rank.set_count(51);
  v1::RankChildOrganizationsResponse ranking;
  EXPECT_EQ(server_->statistics()
                .RankChildOrganizations(server_->Context(Admin()).get(), rank, &ranking)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListMembersBehindRequest behind;
  *behind.mutable_scope() = Scope();
  behind.set_page_size(101);
  v1::ListMembersBehindResponse members;
  EXPECT_EQ(Behind(behind, &members).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace lms
