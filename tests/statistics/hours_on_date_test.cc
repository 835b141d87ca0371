// Hours credited as of a day and as received by a time, against a real database: a credit
// late in the day UTC that is the next day in China, a kiosk's late sync, a reversal
// recorded later, another year's credit.
#include "services/statistics/hours_on_date.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "common/db/run_transaction.h"
#include "tests/testing/test_database.h"

namespace lms::statistics {
namespace {

using Hours = std::map<int64_t, int64_t>;

class HoursOnDateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("hours_on_date").release();
    testing::SeedRootAndTwoBranches(*database_);
    database_->Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (201, '甲', 'H201', 2, 2, 1, 1, NOW(),"
        " NOW()), (202, '乙', 'H202', 2, 2, 1, 1, NOW(), NOW())");
    // Times are UTC; China is eight hours ahead.
    database_->Execute(
        "INSERT INTO hours_credit (id, member_id, source, summary_source, source_key, source_id,"
        " title, year, hundredths, content_category, rule_version, actor_member_id, reason,"
        " happen_time, record_time, reverses_credit_id) VALUES"
        " (1, 201, 1, 1, 'course:1', 1, '党章', 2026, 100, 1, 0, 0, '',"
        "  '2026-03-01 02:00:00', '2026-03-01 02:00:00', NULL),"
        " (2, 201, 1, 1, 'course:2', 2, '党规', 2026, 50, 1, 0, 0, '',"
        "  '2026-03-31 17:00:00', '2026-03-31 17:00:00', NULL),"
        " (3, 201, 3, 3, 'activity:3', 3, '党课', 2026, 200, 1, 0, 0, '',"
        "  '2026-03-10 06:00:00', '2026-04-15 01:00:00', NULL),"
        " (4, 201, 6, 1, 'reversal:1', 1, '党章', 2026, -100, 1, 0, 9, '误记',"
        "  '2026-03-01 02:00:00', '2026-05-01 03:00:00', 1),"
        " (5, 202, 1, 1, 'course:5', 5, '形势', 2025, 300, 1, 0, 0, '',"
        "  '2025-12-31 01:00:00', '2025-12-31 01:00:00', NULL),"
        " (6, 202, 1, 1, 'course:6', 6, '宗旨', 2026, 80, 1, 0, 0, '',"
        "  '2026-02-01 01:00:00', '2026-02-01 01:00:00', NULL)");
  }
  static void TearDownTestSuite() { delete database_; }

  static Hours On(absl::CivilDay day, absl::Time received_by = absl::InfiniteFuture()) {
    absl::StatusOr<Hours> hours = db::RunTransactionFor<Hours>(
        database_->pool(), absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
          return HoursCreditedOnDate(tx, {201, 202}, 2026, day, received_by);
        });
    EXPECT_TRUE(hours.ok()) << hours.status();
    return *hours;
  }
  static absl::Time Utc(int year, int month, int day) {
    return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* HoursOnDateTest::database_ = nullptr;

TEST_F(HoursOnDateTest, CountsWhatHappenedByTheDayAndWasReceivedByTheBound) {
  // Before anything of 2026 happened to 201; 202's 2025 credit is another year's.
  EXPECT_EQ(On(absl::CivilDay(2026, 2, 28)), (Hours{{202, 80}}));
  // 31 March: credit 2 happened at 01:00 on 1 April in China. Everything received since:
  // the late sync counts, and the reversal undoes credit 1.
  EXPECT_EQ(On(absl::CivilDay(2026, 3, 31)), (Hours{{201, 200}, {202, 80}}));
  EXPECT_EQ(On(absl::CivilDay(2026, 4, 1)), (Hours{{201, 250}, {202, 80}}));
  // As the server knew it on 1 April: neither the late sync nor the reversal yet.
  EXPECT_EQ(On(absl::CivilDay(2026, 3, 31), Utc(2026, 4, 1)), (Hours{{201, 100}, {202, 80}}));
  // On 30 April the sync had arrived, the reversal not.
  EXPECT_EQ(On(absl::CivilDay(2026, 4, 30), Utc(2026, 4, 30)), (Hours{{201, 350}, {202, 80}}));
  EXPECT_EQ(On(absl::CivilDay(2026, 12, 31)), (Hours{{201, 250}, {202, 80}}));
}

}  // namespace
}  // namespace lms::statistics
