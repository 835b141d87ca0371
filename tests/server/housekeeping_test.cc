// Housekeeping deletes what has outlived its purpose and nothing else, by the server's
// clock: the runtime's request-log sweep and the identity module's own.

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_server.h"

namespace lms::server {
namespace {

TEST(HousekeepingTest, DeletesExpiredRowsAndKeepsLiveOnes) {
  testing::TestServer server("housekeeping");
  // A hundred days ahead of the database's own clock: rows "40 days old" by the server's
  // clock are still in the database's future, so only sweeps bound to the server's clock
  // delete them.
  server.clock().Advance(absl::Hours(24 * 100));
  const std::string at =
      absl::StrCat("FROM_UNIXTIME(", absl::ToUnixSeconds(server.clock().Now()), ")");
  auto& db = server.database();
  db.Execute(
      "INSERT INTO request_log (scope, request_id, result_id, created_at) VALUES"
      " ('s', 'old', 1, " +
      at +
      " - INTERVAL 40 DAY),"
      " ('s', 'new', 2, " +
      at + " - INTERVAL 1 DAY)");
  db.Execute(
      "INSERT INTO session (id, role, member_id, organization_id, create_time, expire_time)"
      " VALUES (1, 1, 1, 1, " +
      at + " - INTERVAL 30 DAY, " + at +
      " - INTERVAL 3 DAY),"
      " (2, 1, 1, 1, " +
      at + ", " + at + " + INTERVAL 3 DAY)");
  db.Execute(
      "INSERT INTO refresh_token (token_hash, session_id, create_time, expire_time) VALUES"
      " (REPEAT('a', 64), 1, " +
      at + " - INTERVAL 30 DAY, " + at +
      " - INTERVAL 3 DAY),"
      " (REPEAT('b', 64), 2, " +
      at + ", " + at + " + INTERVAL 3 DAY)");
  db.Execute(
      "INSERT INTO sign_in_throttle (throttle_key, window_start, failures, locked_until)"
      " VALUES ('m:1', " +
      at +
      " - INTERVAL 2 HOUR, 3, NULL),"
      " ('m:2', " +
      at + " - INTERVAL 5 MINUTE, 7, " + at + " + INTERVAL 1 MINUTE)");

  // Outbox: events 1-3 are old, 4 is new; consumer a has passed 1-2, consumer b 1-3.
  db.Execute("INSERT INTO outbox_event (id, topic, created_at) VALUES (1, 'x', " + at +
             " - INTERVAL 40 DAY), (2, 'x', " + at + " - INTERVAL 40 DAY), (3, 'x', " + at +
             " - INTERVAL 40 DAY), (4, 'x', " + at + ")");
  db.Execute("INSERT INTO outbox_cursor (consumer, after_event_id) VALUES ('a', 2), ('b', 3)");
  db.Execute("INSERT INTO outbox_delivery (consumer, event_id, delivered_at) VALUES ('a', 1, " +
             at + " - INTERVAL 40 DAY), ('a', 3, " + at + " - INTERVAL 40 DAY), ('b', 3, " + at +
             " - INTERVAL 40 DAY), ('b', 4, " + at + ")");

  // The hosted enrolment and statistics services consume the outbox too: let them pass
  // 1-3 now, so only consumers a and b hold events back.
  server.RunTaskNow("enrollment_outbox");
  server.RunTaskNow("statistics_rollups");
  server.RunTaskNow("housekeeping");
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM request_log WHERE request_id = 'new'"), 1);
  EXPECT_EQ(db.CountRows("request_log"), 1);
  EXPECT_EQ(db.QueryInt("SELECT id FROM session"), 2);
  EXPECT_EQ(db.CountRows("session"), 1);
  EXPECT_EQ(db.QueryInt("SELECT session_id FROM refresh_token"), 2);
  EXPECT_EQ(db.CountRows("refresh_token"), 1);
  EXPECT_EQ(db.QueryInt("SELECT failures FROM sign_in_throttle"), 7);
  EXPECT_EQ(db.CountRows("sign_in_throttle"), 1);
  // Events go only once every consumer passed them; deliveries below their cursor.
  EXPECT_EQ(db.QueryInt("SELECT MIN(id) FROM outbox_event"), 3);
  EXPECT_EQ(db.CountRows("outbox_event"), 2);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM outbox_delivery WHERE consumer = 'a'"), 1);
  EXPECT_EQ(db.QueryInt("SELECT event_id FROM outbox_delivery WHERE consumer = 'b'"), 4);

  // The statistics queue, with the rollups' job held off (it would take the rows itself):
  // a row three days old goes, today's stays.
  absl::StatusOr<db::Transaction> hold =
      server.runtime().pool().Begin(absl::Now() + absl::Seconds(30));
  ASSERT_TRUE(hold.ok());
  ASSERT_TRUE(hold->Query("SELECT id FROM statistics_rollup_state WHERE id = 1 FOR UPDATE", {},
                          [](const db::Row&) {})
                  .ok());
  db.Execute("INSERT INTO statistics_queue (member_id, queued_time) VALUES (1, " + at +
             " - INTERVAL 3 DAY), (2, " + at + ")");
  server.RunTaskNow("housekeeping");
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM statistics_queue WHERE member_id = 1"), 0);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM statistics_queue WHERE member_id = 2"), 1);
}

}  // namespace
}  // namespace lms::server
