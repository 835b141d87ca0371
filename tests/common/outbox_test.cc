// The transactional outbox against a real database: an event exists exactly when its
// change commits, and a consumer takes each event exactly once — across a crash mid-batch,
// two processes consuming at once, and an event whose transaction commits after a later
// one's.

#include "common/outbox/outbox.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/synchronization/notification.h"
#include "common/db/run_transaction.h"
#include "common/outbox/outbox_consumer.h"
#include "common/time/clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_database.h"

namespace lms::outbox {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::TestDatabase;

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

class OutboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = TestDatabase::Create("outbox").release();
    // What a consumer does with an event, keyed by it: a second delivery would collide.
    database_->Execute(
        "CREATE TABLE effect (consumer VARCHAR(16) NOT NULL, event_id BIGINT NOT NULL,"
        " PRIMARY KEY (consumer, event_id))");
  }
  static void TearDownTestSuite() { delete database_; }

  // Appends `count` events for members `first`, `first` + 1, ... in one committed
  // transaction.
  void Append(int count, int64_t first) {
    ASSERT_THAT(db::RunTransaction(database_->pool(), Soon(),
                                   [&](db::Transaction& tx) -> absl::Status {
                                     for (int i = 0; i < count; ++i) {
                                       const absl::Status s = writer_.Append(
                                           tx, {kMemberChanged, first + i, 1, std::nullopt},
                                           clock_.Now());
                                       if (!s.ok()) return s;
                                     }
                                     return absl::OkStatus();
                                   }),
                IsOk());
  }

  // A consumer recording its effects in `effect`; `fail` makes it fail after writing them.
  OutboxConsumer Consumer(const std::string& name, const bool* fail = nullptr,
                          size_t batch_size = 500) {
    return OutboxConsumer(
        database_->pool(), clock_, name,
        [name, fail](db::Transaction& tx, const std::vector<DeliveredEvent>& events) {
          for (const DeliveredEvent& event : events) {
            const absl::Status s =
                tx.Execute("INSERT INTO effect (consumer, event_id) VALUES (?, ?)",
                           {name, event.id})
                    .status();
            if (!s.ok()) return s;
          }
          if (fail != nullptr && *fail) return absl::InternalError("crashed mid-batch");
          return absl::OkStatus();
        },
        absl::Minutes(15), batch_size);
  }

  int64_t Effects(const std::string& consumer) {
    return database_->QueryInt("SELECT COUNT(*) FROM effect WHERE consumer = ?", {consumer});
  }

  static TestDatabase* database_;
  FakeClock clock_{absl::Now()};
  const OutboxWriter writer_{};
};

TestDatabase* OutboxTest::database_ = nullptr;

TEST_F(OutboxTest, AnEventIsWrittenOnlyWhenItsChangeCommits) {
  const int64_t before = database_->CountRows("outbox_event");
  const absl::Status rolled_back =
      db::RunTransaction(database_->pool(), Soon(), [&](db::Transaction& tx) -> absl::Status {
        const absl::Status s =
            writer_.Append(tx, {kMemberJoined, 7, 1, std::nullopt}, clock_.Now());
        if (!s.ok()) return s;
        return absl::FailedPreconditionError("the change was refused");
      });
  EXPECT_EQ(rolled_back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(database_->CountRows("outbox_event"), before);
}

TEST_F(OutboxTest, ACrashMidBatchDeliversNothingAndTheNextRunDeliversEachEventOnce) {
  Append(1200, 1000);
  bool crash = true;
  const OutboxConsumer consumer = Consumer("crash", &crash, 500);
  const absl::StatusOr<int64_t> crashed = consumer.RunOnce(Soon());
  EXPECT_EQ(crashed.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Effects("crash"), 0);
  crash = false;
  const absl::StatusOr<int64_t> delivered = consumer.RunOnce(Soon());
  ASSERT_THAT(delivered.status(), IsOk());
  EXPECT_GE(*delivered, 1200);
  EXPECT_EQ(Effects("crash"), database_->CountRows("outbox_event"));
  // Nothing is delivered twice, however often it runs.
  EXPECT_EQ(*consumer.RunOnce(Soon()), 0);
  // Another consumer takes the same events for itself.
  EXPECT_EQ(*Consumer("other").RunOnce(Soon()), database_->CountRows("outbox_event"));
}

TEST_F(OutboxTest, TwoProcessesConsumingAtOnceDeliverEachEventOnce) {
  Append(2000, 5000);
  const OutboxConsumer first = Consumer("parallel", nullptr, 100);
  const OutboxConsumer second = Consumer("parallel", nullptr, 100);
  absl::StatusOr<int64_t> a, b;
  std::thread ta([&] { a = first.RunOnce(Soon()); });
  std::thread tb([&] { b = second.RunOnce(Soon()); });
  ta.join();
  tb.join();
  ASSERT_THAT(a.status(), IsOk());
  ASSERT_THAT(b.status(), IsOk());
  EXPECT_EQ(*a + *b, database_->CountRows("outbox_event"));
  EXPECT_EQ(Effects("parallel"), database_->CountRows("outbox_event"));
}

TEST_F(OutboxTest, AnEventCommittedAfterALaterOneIsStillDelivered) {
  const OutboxConsumer consumer = Consumer("late");
  ASSERT_THAT(consumer.RunOnce(Soon()).status(), IsOk());
  // The early event's transaction takes its id first and commits last.
  absl::Notification written, release;
  int64_t early_id = 0;
  std::thread slow([&] {
    EXPECT_THAT(db::RunTransaction(database_->pool(), Soon(),
                                   [&](db::Transaction& tx) -> absl::Status {
                                     const absl::Status s = writer_.Append(
                                         tx, {kMemberTransferred, 1, 2, std::nullopt},
                                         clock_.Now());
                                     if (!s.ok()) return s;
                                     auto id = tx.QueryInt64("SELECT LAST_INSERT_ID()", {});
                                     if (!id.ok()) return id.status();
                                     early_id = id->value_or(0);
                                     if (!written.HasBeenNotified()) written.Notify();
                                     release.WaitForNotification();
                                     return absl::OkStatus();
                                   }),
                IsOk());
  });
  written.WaitForNotification();
  Append(1, 9000);
  // The later event is delivered; while the early one's transaction may still commit (it
  // is younger than the settle time), the cursor does not pass it.
  EXPECT_EQ(*consumer.RunOnce(Soon()), 1);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(*consumer.RunOnce(Soon()), 0);
  EXPECT_LT(database_->QueryInt("SELECT after_event_id FROM outbox_cursor WHERE consumer = 'late'"),
            early_id);
  release.Notify();
  slow.join();
  EXPECT_EQ(*consumer.RunOnce(Soon()), 1);
  EXPECT_EQ(database_->QueryInt("SELECT COUNT(*) FROM effect WHERE consumer = 'late'"
                                " AND event_id = ?",
                                {early_id}),
            1);
  // Once everything is old and delivered, the cursor moves past it all.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(*consumer.RunOnce(Soon()), 0);
  EXPECT_EQ(database_->QueryInt("SELECT after_event_id FROM outbox_cursor WHERE consumer = 'late'"),
            database_->QueryInt("SELECT MAX(id) FROM outbox_event"));
}

}  // namespace
}  // namespace lms::outbox
