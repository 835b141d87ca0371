// Housekeeping deletes what has outlived its purpose and nothing else.

#include "services/server/housekeeping.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_database.h"

namespace lms::server {
namespace {

TEST(HousekeepingTest, DeletesExpiredRowsAndKeepsLiveOnes) {
  auto database = testing::TestDatabase::Create("housekeeping");
  auto& db = *database;
  // Far from the database's own clock: the sweeps must use the time they are given.
  const absl::Time now = absl::FromUnixSeconds(2'000'000'000);
  const std::string at = absl::StrCat("FROM_UNIXTIME(", absl::ToUnixSeconds(now), ")");
  db.Execute(
      "INSERT INTO request_log (scope, request_id, result_id, created_at) VALUES"
      " ('s', 'old', 1, " +
      at +
      " - INTERVAL 40 DAY),"
      " ('s', 'new', 2, " +
      at + " - INTERVAL 1 DAY)");
  db.Execute(
      "INSERT INTO session (id, role, member_id, organization_id, create_time, expire_time) VALUES"
      " (1, 1, 1, 1, " +
      at + " - INTERVAL 30 DAY, " + at +
      " - INTERVAL 3 DAY),"
      " (2, 1, 1, 1, " +
      at + ", " + at + " + INTERVAL 3 DAY)");
  db.Execute(
      "INSERT INTO refresh_token (token_hash, session_id, create_time, expire_time) VALUES"
      " (REPEAT('a', 64), 1, " +
      at +
      " - INTERVAL 30 DAY,"
      "  " +
      at +
      " - INTERVAL 3 DAY),"
      " (REPEAT('b', 64), 2, " +
      at + ", " + at + " + INTERVAL 3 DAY)");
  db.Execute(
      "INSERT INTO sign_in_throttle (throttle_key, window_start, failures, locked_until) VALUES"
      " ('m:1', " +
      at +
      " - INTERVAL 2 HOUR, 3, NULL),"
      " ('m:2', " +
      at + " - INTERVAL 5 MINUTE, 7, " + at + " + INTERVAL 1 MINUTE)");

  const Housekeeping housekeeping(db.pool(), RetentionConfig{});
  const absl::StatusOr<int64_t> deleted = housekeeping.RunOnce(now);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 4);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM request_log WHERE request_id = 'new'"), 1);
  EXPECT_EQ(db.CountRows("request_log"), 1);
  EXPECT_EQ(db.QueryInt("SELECT id FROM session"), 2);
  EXPECT_EQ(db.QueryInt("SELECT session_id FROM refresh_token"), 2);
  EXPECT_EQ(db.QueryInt("SELECT failures FROM sign_in_throttle"), 7);
  // A second pass finds nothing more.
  EXPECT_EQ(*housekeeping.RunOnce(now), 0);
}

}  // namespace
}  // namespace lms::server
