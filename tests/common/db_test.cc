// The store against the real private MariaDB: transactions, error mapping, deadlines,
// the pool's bounds, idempotency, migrations, and the durability check.

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "common/db/batches.h"
#include "common/db/durability_check.h"
#include "common/db/migrator.h"
#include "common/db/request_log.h"
#include "common/db/run_transaction.h"
#include "common/db/sql_error.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_database.h"

namespace lms::db {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;
using ::lms::testing::TestDatabase;

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

class DbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = TestDatabase::Create("db").release();
    database_->Execute(
        "CREATE TABLE note (id BIGINT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(100) NOT NULL, "
        "UNIQUE KEY note_body (body)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    database_->Execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB");
    database_->Execute("INSERT INTO counter VALUES (1, 0), (2, 0)");
  }
  static void TearDownTestSuite() { delete database_; }

  static ConnectionPool& pool() { return database_->pool(); }
  static TestDatabase* database_;
};
TestDatabase* DbTest::database_ = nullptr;

TEST_F(DbTest, StoresSqlLookalikesAndFourByteCharactersVerbatim) {
  const std::string body = "Robert'); DROP TABLE note;-- 𠮷😀 \\ \" 党章";
  absl::StatusOr<int64_t> id = RunTransactionFor<int64_t>(pool(), Soon(), [&](Transaction& tx) {
    return tx.Insert("INSERT INTO note (body) VALUES (?)", {body});
  });
  ASSERT_THAT(id, IsOk());
  std::string read;
  ASSERT_THAT(RunTransaction(pool(), Soon(),
                             [&](Transaction& tx) {
                               return tx.Query("SELECT body FROM note WHERE id = ?", {*id},
                                               [&](const Row& row) { read = row.String(1); });
                             }),
              IsOk());
  EXPECT_EQ(read, body);
}

TEST_F(DbTest, ExecuteRefusesAQueryAndLeavesTheConnectionUsable) {
  ASSERT_THAT(RunTransaction(pool(), Soon(),
                             [&](Transaction& tx) -> absl::Status {
                               EXPECT_THAT(tx.Execute("  select COUNT(*) FROM note", {}).status(),
                                           StatusIs(absl::StatusCode::kInternal));
                               // The same connection goes on at once.
                               return tx.Query("SELECT COUNT(*) FROM note", {}, [](const Row&) {});
                             }),
              IsOk());
}

TEST_F(DbTest, UncommittedTransactionRollsBack) {
  const int64_t before = database_->CountRows("note");
  {
    absl::StatusOr<Transaction> tx = pool().Begin(Soon());
    ASSERT_THAT(tx, IsOk());
    ASSERT_THAT(tx->Execute("INSERT INTO note (body) VALUES (?)", {"never committed"}), IsOk());
  }
  EXPECT_EQ(database_->CountRows("note"), before);
}

TEST_F(DbTest, FailedBodyRollsBackEverything) {
  const int64_t before = database_->CountRows("note");
  const absl::Status status = RunTransaction(pool(), Soon(), [&](Transaction& tx) {
    if (absl::Status s = tx.Execute("INSERT INTO note (body) VALUES (?)", {"first"}).status();
        !s.ok()) {
      return s;
    }
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(database_->CountRows("note"), before);
}

TEST_F(DbTest, AnExceptionInTheBodyIsInternalRolledBackAndNotRetried) {
  const int64_t before = database_->CountRows("note");
  int attempts = 0;
  const absl::Status status = RunTransaction(pool(), Soon(), [&](Transaction& tx) -> absl::Status {
    ++attempts;
    if (auto s = tx.Execute("INSERT INTO note (body) VALUES ('thrown')", {}); !s.ok()) {
      return s.status();
    }
    throw std::out_of_range("a bug in domain code");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(database_->CountRows("note"), before);
  // The pool is still usable afterwards.
  EXPECT_THAT(
      RunTransaction(pool(), Soon(),
                     [&](Transaction& tx) { return tx.QueryInt64("SELECT 1", {}).status(); }),
      IsOk());
}

TEST_F(DbTest, DuplicateKeyIsAlreadyExists) {
  const auto insert = [&] {
    return RunTransaction(pool(), Soon(), [&](Transaction& tx) {
      return tx.Execute("INSERT INTO note (body) VALUES (?)", {"unique body"}).status();
    });
  };
  ASSERT_THAT(insert(), IsOk());
  EXPECT_THAT(insert(), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(DbTest, StatementStopsAtTheCallersDeadline) {
  const absl::Time start = absl::Now();
  const absl::Status status = RunTransaction(
      pool(), start + absl::Milliseconds(700),
      [&](Transaction& tx) { return tx.QueryInt64("SELECT SLEEP(5)", {}).status(); });
  const absl::Duration took = absl::Now() - start;
  // MariaDB ends SLEEP at max_statement_time by returning 1 rather than an error; either
  // way the call must come back near its deadline, not after five seconds.
  EXPECT_LT(took, absl::Seconds(2)) << status;
}

TEST_F(DbTest, LockWaitPastDeadlineIsNotAHang) {
  absl::StatusOr<Transaction> holder = pool().Begin(Soon());
  ASSERT_THAT(holder, IsOk());
  ASSERT_THAT(holder->Execute("UPDATE counter SET n = n + 1 WHERE id = 1", {}), IsOk());
  const absl::Time start = absl::Now();
  const absl::Status status =
      RunTransaction(pool(), start + absl::Milliseconds(600), [&](Transaction& tx) {
        return tx.Execute("UPDATE counter SET n = n + 1 WHERE id = 1", {}).status();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ASSERT_THAT(holder->Commit(), IsOk());
}

TEST_F(DbTest, DeadlocksAreRetriedUntilBothCommit) {
  // Two writers lock the same two rows in opposite orders, many times over: InnoDB kills
  // one as a deadlock victim now and then, and the retry loop must hide that.
  std::atomic<int> failures{0};
  const auto writer = [&](int first, int second) {
    for (int i = 0; i < 30; ++i) {
      const absl::Status status = RunTransaction(pool(), Soon(), [&](Transaction& tx) {
        if (auto s = tx.Execute("UPDATE counter SET n = n + 1 WHERE id = ?", {first}); !s.ok()) {
          return s.status();
        }
        return tx.Execute("UPDATE counter SET n = n + 1 WHERE id = ?", {second}).status();
      });
      if (!status.ok()) ++failures;
    }
  };
  std::thread a(writer, 1, 2);
  std::thread b(writer, 2, 1);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(DbTest, RetryableConflictsGiveUpAsAborted) {
  int attempts = 0;
  const absl::Status status = RunTransaction(pool(), Soon(), [&](Transaction&) {
    ++attempts;
    return MarkRetryable(absl::AbortedError("simulated deadlock"));
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(attempts, kMaxTransactionAttempts);
}

TEST_F(DbTest, PoolWaitsOnlyUntilTheDeadline) {
  DbConfig config = database_->config();
  config.pool_size = 1;
  ConnectionPool small(config);
  absl::StatusOr<Transaction> held = small.Begin(Soon());
  ASSERT_THAT(held, IsOk());
  const absl::Time start = absl::Now();
  EXPECT_THAT(small.Begin(start + absl::Milliseconds(200)),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST_F(DbTest, UnreachableDatabaseIsUnavailable) {
  DbConfig config = database_->config();
  config.socket.clear();
  config.host = "127.0.0.1";
  config.port = 1;  // nothing listens there
  ConnectionPool nowhere(config);
  EXPECT_THAT(nowhere.Begin(Soon()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(DbTest, RequestLogFindsTheFirstOutcome) {
  const RequestLog log;
  ASSERT_THAT(RunTransaction(pool(), Soon(),
                             [&](Transaction& tx) {
                               return log.Record(tx, "test/a", "req-1", 77, absl::Now());
                             }),
              IsOk());
  std::optional<int64_t> found;
  ASSERT_THAT(RunTransaction(pool(), Soon(),
                             [&](Transaction& tx) -> absl::Status {
                               auto result = log.Find(tx, "test/a", "req-1");
                               if (!result.ok()) return result.status();
                               found = *result;
                               return absl::OkStatus();
                             }),
              IsOk());
  EXPECT_EQ(found, 77);
  // The same id again cannot be recorded twice: the key, not luck, prevents it.
  EXPECT_EQ(RunTransaction(
                pool(), Soon(),
                [&](Transaction& tx) { return log.Record(tx, "test/a", "req-1", 78, absl::Now()); })
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(DbTest, MigrationsApplyExactlyOnce) {
  const Migrator migrator(pool());
  const absl::StatusOr<std::vector<int>> again = migrator.Apply(EmbeddedMigrations(), Soon());
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->empty());

  std::vector<Migration> extra = EmbeddedMigrations();
  extra.push_back({9000, "test_extra",
                   "CREATE TABLE extra_one (id INT PRIMARY KEY);\n"
                   "-- a comment\nCREATE TABLE extra_two (id INT PRIMARY KEY);\n"});
  const absl::StatusOr<std::vector<int>> applied = migrator.Apply(extra, Soon());
  ASSERT_THAT(applied, IsOk());
  EXPECT_EQ(*applied, std::vector<int>{9000});
  EXPECT_EQ(database_->CountRows("extra_two"), 0);
  EXPECT_TRUE(migrator.Apply(extra, Soon())->empty());
}

TEST_F(DbTest, MigrationEditedAfterApplyIsRefused) {
  std::vector<Migration> edited = EmbeddedMigrations();
  edited.front().sql += "\n-- edited\n";
  EXPECT_THAT(Migrator(pool()).Apply(edited, Soon()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DbTest, SplitStatementsHonoursCommentsAndLineEnds) {
  const std::vector<std::string> statements =
      SplitStatements("-- header\nCREATE TABLE a (x INT);\n\nINSERT INTO a\n VALUES (1);\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[1], "INSERT INTO a\n VALUES (1)");
}

TEST_F(DbTest, PrivateDatabaseIsDurable) { EXPECT_THAT(CheckDurability(pool(), Soon()), IsOk()); }

// The sizes each way of batching cuts `total` into, in order.
template <typename Cut>
std::vector<size_t> SizesOf(size_t total, Cut cut) {
  std::vector<size_t> sizes;
  size_t next = 0;
  const absl::Status status = cut(total, [&](size_t begin, size_t size) {
    EXPECT_EQ(begin, next);
    next += size;
    sizes.push_back(size);
    return absl::OkStatus();
  });
  EXPECT_THAT(status, IsOk());
  EXPECT_EQ(next, total);
  return sizes;
}

TEST(BatchesTest, LaddersCutIntoFewShapesAndExactBatchesIntoOneStatement) {
  const auto ladder = [](size_t total, auto batch) { return ForEachBatch(total, batch); };
  const auto exact = [](size_t total, auto batch) { return ForEachExactBatch(total, batch); };
  EXPECT_EQ(SizesOf(9, ladder), (std::vector<size_t>{8, 1}));
  EXPECT_EQ(SizesOf(1301, ladder), (std::vector<size_t>{1000, 256, 32, 8, 4, 1}));
  EXPECT_TRUE(SizesOf(0, ladder).empty());
  EXPECT_EQ(SizesOf(9, exact), (std::vector<size_t>{9}));
  EXPECT_EQ(SizesOf(kExactBatchMax, exact), (std::vector<size_t>{kExactBatchMax}));
  EXPECT_EQ(SizesOf(kExactBatchMax + 3, exact), (std::vector<size_t>{32, 2, 1}));
  EXPECT_TRUE(SizesOf(0, exact).empty());
}

TEST(SqlErrorTest, APreparedStatementLimitIsTheDatabasesTroubleNotTheRequests) {
  EXPECT_THAT(StatusFromSqlError(1461, "42000", "Can't create more than max_prepared_stmt_count",
                                 "insert events"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(StatusFromSqlError(1062, "23000", "Duplicate entry", "insert events"),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(BatchesTest, TheFirstFailedBatchStopsTheRest) {
  int calls = 0;
  const absl::Status status = ForEachBatch(1300, [&](size_t, size_t) {
    ++calls;
    return calls == 2 ? absl::UnavailableError("down") : absl::OkStatus();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace lms::db
