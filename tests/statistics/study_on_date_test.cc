// Self-study by the end of a day and as received by a time, against a real database: the
// year's credited time (last year's study not in it, but still the last study), an event
// at 01:00 China time on the next China day, a kiosk's late sync.
#include "services/statistics/study_on_date.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "common/db/run_transaction.h"
#include "tests/testing/test_database.h"

namespace lms::statistics {
namespace {

class StudyOnDateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("study_on_date").release();
    // Times are UTC; China is eight hours ahead.
    database_->Execute(
        "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
        " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
        " active_seconds, credited_ms, rule_version) VALUES"
        " (401, 'e1', 1, 'd', 1, '2025-12-20 02:00:00', '2025-12-20 02:00:00',"
        "  '2025-12-20 02:00:00', '2025-12-20 02:00:00', 0, 60, 60, 60000, 0),"
        " (401, 'e2', 1, 'd', 2, '2026-03-01 02:00:00', '2026-03-01 02:00:00',"
        "  '2026-03-01 02:00:00', '2026-03-01 02:00:00', 60, 180, 120, 120000, 0),"
        " (401, 'e3', 1, 'd', 3, '2026-03-31 17:00:00', '2026-03-31 17:00:00',"
        "  '2026-03-31 17:00:00', '2026-03-31 17:00:00', 180, 210, 30, 30000, 0),"
        " (401, 'e4', 2, 'k', 1, '2026-03-10 06:00:00', '2026-04-15 01:00:00',"
        "  '2026-04-15 01:00:00', '2026-03-10 06:00:00', 0, 90, 90, 90000, 0),"
        " (402, 'e5', 1, 'd', 1, '2025-06-01 02:00:00', '2025-06-01 02:00:00',"
        "  '2025-06-01 02:00:00', '2025-06-01 02:00:00', 0, 60, 60, 60000, 0)");
  }
  static void TearDownTestSuite() { delete database_; }

  static std::map<int64_t, StudyOnDate> On(absl::CivilDay day,
                                           absl::Time received_by = absl::InfiniteFuture()) {
    absl::StatusOr<std::map<int64_t, StudyOnDate>> study =
        db::RunTransactionFor<std::map<int64_t, StudyOnDate>>(
            database_->pool(), absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
              return StudyByDate(tx, {401, 402, 403}, 2026, day, received_by);
            });
    EXPECT_TRUE(study.ok()) << study.status();
    return *study;
  }
  static absl::Time Utc(int year, int month, int day, int hour = 0) {
    return absl::FromCivil(absl::CivilHour(year, month, day, hour), absl::UTCTimeZone());
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* StudyOnDateTest::database_ = nullptr;

TEST_F(StudyOnDateTest, CountsTheYearsStudyByTheDayAndKeepsTheLastStudy) {
  std::map<int64_t, StudyOnDate> study = On(absl::CivilDay(2026, 3, 31));
  ASSERT_EQ(study.size(), 2u);  // 403 never studied
  EXPECT_EQ(study[401].credited_ms, 210000);
  EXPECT_EQ(study[401].last_study, Utc(2026, 3, 10, 6));
  EXPECT_EQ(study[402].credited_ms, 0);
  EXPECT_EQ(study[402].last_study, Utc(2025, 6, 1, 2));
  // As the server knew it on 1 April: not the kiosk's late sync.
  study = On(absl::CivilDay(2026, 3, 31), Utc(2026, 4, 1));
  EXPECT_EQ(study[401].credited_ms, 120000);
  EXPECT_EQ(study[401].last_study, Utc(2026, 3, 1, 2));
  // 1 April in China includes the event of 17:00 UTC on 31 March.
  study = On(absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(study[401].credited_ms, 240000);
  EXPECT_EQ(study[401].last_study, Utc(2026, 3, 31, 17));
  // Nothing this year yet: the last study is December's.
  study = On(absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(study[401].credited_ms, 0);
  EXPECT_EQ(study[401].last_study, Utc(2025, 12, 20, 2));
}

}  // namespace
}  // namespace lms::statistics
