// Every statistics figure on a generated site (lms-generate's own code at a small scale:
// transfers, category changes, leavers, a branch moved, late syncs, repeated attempts)
// equals the recount: today's figures from the rollups the job built against the recount
// with the same received-by, for the whole tree, general branches and branches, with the
// members behind; a frozen month against the recount of its last day with its bound.

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/call/call_context.h"
#include "common/time/china_time.h"
#include "common/time/clock.h"
#include "services/statistics/month_snapshots.h"
#include "services/statistics/standings_rollup.h"
#include "services/statistics/statistics_service.h"
#include "tests/testing/test_database.h"
#include "tools/generate/site_generator.h"

namespace lms::statistics {
namespace {

std::string Text(const SubtreeFigures& figures) {
  std::string text;
  const auto add = [&](const OrganizationFigures& o) {
    for (const CategoryFigures& f : o.categories) {
      absl::StrAppend(&text, o.organization_id, " c", f.category, ": ", f.members, " ",
                      f.members_in_plans, " ", f.required_enrollments, " ", f.completed_enrollments,
                      " ", f.hours_credited, " ", f.hours_required, " ",
                      f.members_meeting_requirement, " ", f.members_on_track, " ",
                      f.members_without_study, " ", f.study_ms, "\n");
    }
  };
  add(figures.organization);
  for (const OrganizationFigures& child : figures.children) add(child);
  return text;
}

class GeneratedSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("generated_site").release();
    generate::SiteOptions options;
    options.members = 3'000;
    options.organizations = 120;
    options.courses = 60;
    options.enrollments = 15'000;
    options.progress_events = 120'000;
    options.attempts = 6'000;
    options.now = clock_.Now();
    const absl::StatusOr<generate::SiteCounts> counts =
        generate::GenerateSite(database_->pool(), options, [](const std::string&) {});
    ASSERT_TRUE(counts.ok()) << counts.status();
    counts_ = *counts;
    ASSERT_TRUE(StandingsRollup(database_->pool(), clock_).RunOnce(Deadline()).ok());
  }
  static void TearDownTestSuite() { delete database_; }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(120); }
  static call::CallContext Call() {
    call::CallContext call;
    call.deadline = Deadline();
    return call;
  }
  static ScopeRequest Today(int64_t organization) {
    ScopeRequest request;
    request.organization_id = organization;
    request.year = static_cast<int>(TodayInChina(clock_.Now()).year());
    return request;
  }

  static const RealClock clock_;
  static testing::TestDatabase* database_;
  static generate::SiteCounts counts_;
};
const RealClock GeneratedSiteTest::clock_;
testing::TestDatabase* GeneratedSiteTest::database_ = nullptr;
generate::SiteCounts GeneratedSiteTest::counts_;

TEST_F(GeneratedSiteTest, TheGeneratorWritesWhatItWasAskedFor) {
  EXPECT_EQ(counts_.organizations, 120);
  EXPECT_EQ(counts_.members, 3'000);
  EXPECT_NEAR(static_cast<double>(counts_.enrollments), 15'000, 1'500);
  EXPECT_NEAR(static_cast<double>(counts_.progress_events), 120'000, 30'000);
  EXPECT_EQ(database_->CountRows("progress_event"), counts_.progress_events);
  EXPECT_EQ(database_->CountRows("attempt"), 6'000);
  // The year's changes are there: transfers, leavers, a category given, moved branches.
  EXPECT_GT(database_->QueryInt("SELECT COUNT(*) FROM member_assignment WHERE valid_to IS NOT"
                                " NULL"),
            50);
  EXPECT_GT(database_->QueryInt("SELECT COUNT(*) FROM member WHERE status = 3"), 20);
  EXPECT_GT(database_->QueryInt("SELECT COUNT(*) FROM attempt WHERE number > 1"), 0);
  EXPECT_EQ(database_->QueryInt("SELECT COUNT(*) FROM statistics_queue"), 0);
}

TEST_F(GeneratedSiteTest, TodaysFiguresFromTheRollupsEqualTheRecount) {
  const StatisticsService service(database_->pool(), clock_);
  // The committee, a general branch, a branch with groups, a group.
  const std::vector<int64_t> organizations = {
      1, 2, database_->QueryInt("SELECT MIN(parent_id) FROM organization WHERE kind = 4"),
      database_->QueryInt("SELECT MAX(id) FROM organization WHERE kind = 4")};
  for (const int64_t organization : organizations) {
    SCOPED_TRACE(absl::StrCat("organisation ", organization));
    const absl::StatusOr<OrganizationReport> rolled =
        service.Organization(Call(), Today(organization));
    ASSERT_TRUE(rolled.ok()) << rolled.status();
    EXPECT_EQ(rolled->stamp.source, FiguresSource::kRollup);
    ScopeRequest bounded = Today(organization);
    bounded.received_by = rolled->stamp.received_by;
    const absl::StatusOr<OrganizationReport> recounted = service.Organization(Call(), bounded);
    ASSERT_TRUE(recounted.ok()) << recounted.status();
    EXPECT_EQ(recounted->stamp.source, FiguresSource::kRecount);
    EXPECT_GT(recounted->figures.organization.categories.front().members, 0);
    EXPECT_EQ(rolled->stamp.figures_hash, recounted->stamp.figures_hash)
        << Text(rolled->figures) << "\nrecount:\n"
        << Text(recounted->figures);

    MembersBehindInput behind;
    behind.scope = Today(organization);
    behind.page_size = 50;
    const absl::StatusOr<MembersBehindPage> rolled_behind = service.MembersBehind(Call(), behind);
    behind.scope = bounded;
    const absl::StatusOr<MembersBehindPage> recounted_behind =
        service.MembersBehind(Call(), behind);
    ASSERT_TRUE(rolled_behind.ok() && recounted_behind.ok());
    EXPECT_GT(recounted_behind->total, 0);
    EXPECT_EQ(rolled_behind->total, recounted_behind->total);
    EXPECT_EQ(rolled_behind->stamp.figures_hash, recounted_behind->stamp.figures_hash);
  }
}

TEST_F(GeneratedSiteTest, AFrozenMonthIsTheRecountOfItsLastDay) {
  const MonthSnapshots snapshots(database_->pool(), clock_);
  const absl::CivilMonth last_month = absl::CivilMonth(TodayInChina(clock_.Now())) - 1;
  ASSERT_TRUE(snapshots.FreezeMonth(last_month, Deadline()).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(snapshots.FreezeMonth(last_month, Deadline())));
  const absl::StatusOr<OrganizationReport> frozen = snapshots.Read(
      Call(), 1, static_cast<int>(last_month.year()), static_cast<int>(last_month.month()));
  ASSERT_TRUE(frozen.ok()) << frozen.status();
  ScopeRequest request = Today(1);
  request.year = static_cast<int>(last_month.year());
  request.as_of = absl::CivilDay(last_month + 1) - 1;
  request.received_by = frozen->stamp.received_by;
  const absl::StatusOr<OrganizationReport> recounted =
      StatisticsService(database_->pool(), clock_).Organization(Call(), request);
  ASSERT_TRUE(recounted.ok()) << recounted.status();
  EXPECT_EQ(frozen->stamp.figures_hash, recounted->stamp.figures_hash);
  EXPECT_EQ(frozen->figures.children.size(), recounted->figures.children.size());
}

}  // namespace
}  // namespace lms::statistics
