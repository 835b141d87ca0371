// The database users deploy/mariadb.sh makes hold only what they need: the servers' user
// reads and writes its own schema and nothing else (no DDL, no global privilege, no
// FILE), the tests' user owns only t_* schemas, and no statement can read or write files
// on the database server.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/db/connection_pool.h"
#include "common/db/run_transaction.h"
#include "tests/testing/test_database.h"

namespace lms {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == 0) {
    ADD_FAILURE() << name << " is not set: run the suite with deploy/test.sh";
    return "";
  }
  return value;
}

// The servers' own user, as deploy/test.sh describes it.
db::DbConfig AppUser() {
  db::DbConfig config = testing::TestServerConfig();
  config.user = Env("LMS_TEST_APP_DB_USER");
  config.database = Env("LMS_TEST_APP_DB_NAME");
  std::ifstream in(Env("LMS_TEST_APP_DB_PASSWORD_FILE"));
  std::getline(in, config.password);
  config.password = std::string(absl::StripAsciiWhitespace(config.password));
  config.pool_size = 1;
  return config;
}

absl::StatusOr<std::vector<std::string>> Grants(db::ConnectionPool& pool) {
  std::vector<std::string> grants;
  absl::Status status =
      db::RunTransaction(pool, absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
        grants.clear();
        return tx.Query("SHOW GRANTS", {},
                        [&](const db::Row& row) { grants.push_back(row.String(1)); });
      });
  if (!status.ok()) return status;
  return grants;
}

absl::Status Execute(db::ConnectionPool& pool, const std::string& sql) {
  return db::RunTransaction(pool, absl::Now() + absl::Seconds(10),
                            [&](db::Transaction& tx) { return tx.Execute(sql, {}).status(); });
}

// A query's rows read to the end (a SELECT run as a statement would leave its result
// unread on the connection).
absl::Status Read(db::ConnectionPool& pool, const std::string& sql) {
  return db::RunTransaction(pool, absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
    return tx.Query(sql, {}, [](const db::Row&) {});
  });
}

// No grant on *.* beyond USAGE (the right to connect).
void ExpectNoGlobalPrivilege(const std::vector<std::string>& grants) {
  ASSERT_FALSE(grants.empty());
  for (const std::string& grant : grants) {
    if (absl::StrContains(grant, " ON *.* ")) {
      EXPECT_TRUE(absl::StartsWith(grant, "GRANT USAGE ON *.*")) << grant;
    }
  }
}

TEST(DatabasePrivilegesTest, TheServersUserReadsAndWritesItsOwnSchemaOnly) {
  db::ConnectionPool app(AppUser());
  const absl::StatusOr<std::vector<std::string>> grants = Grants(app);
  ASSERT_TRUE(grants.ok()) << grants.status();
  ExpectNoGlobalPrivilege(*grants);
  for (const std::string& grant : *grants) {
    EXPECT_FALSE(absl::StrContains(grant, "ALL PRIVILEGES")) << grant;
    EXPECT_FALSE(absl::StrContains(grant, "CREATE")) << grant;
  }
  // Data, yes; schema changes, no.
  EXPECT_TRUE(Read(app, "SELECT COUNT(*) FROM organization").ok());
  EXPECT_FALSE(Execute(app, "CREATE TABLE privilege_probe (id INT)").ok());
  EXPECT_FALSE(Execute(app, "DROP TABLE organization").ok());
  EXPECT_FALSE(Execute(app, "CREATE DATABASE privilege_probe").ok());
}

TEST(DatabasePrivilegesTest, TheTestsUserOwnsOnlyTestSchemas) {
  db::ConnectionPool tests(testing::TestServerConfig());
  const absl::StatusOr<std::vector<std::string>> grants = Grants(tests);
  ASSERT_TRUE(grants.ok()) << grants.status();
  ExpectNoGlobalPrivilege(*grants);
  EXPECT_TRUE(Execute(tests, "CREATE DATABASE IF NOT EXISTS t_privilege_probe").ok());
  EXPECT_TRUE(Execute(tests, "DROP DATABASE IF EXISTS t_privilege_probe").ok());
  EXPECT_FALSE(Execute(tests, "CREATE DATABASE privilege_probe").ok());
  EXPECT_FALSE(Read(tests, "SELECT COUNT(*) FROM lms.organization").ok());
}

TEST(DatabasePrivilegesTest, NoStatementTouchesFilesOnTheServer) {
  db::ConnectionPool tests(testing::TestServerConfig());
  std::string secure_file_priv;
  int64_t local_infile = -1;
  ASSERT_TRUE(db::RunTransaction(tests, absl::Now() + absl::Seconds(10), [&](db::Transaction& tx) {
                return tx.Query("SELECT COALESCE(@@secure_file_priv, ''), @@local_infile", {},
                                [&](const db::Row& row) {
                                  secure_file_priv = row.String(1);
                                  local_infile = row.Int64(2);
                                });
              }).ok());
  EXPECT_FALSE(secure_file_priv.empty()) << "secure_file_priv is unset: files anywhere";
  EXPECT_EQ(local_infile, 0);
  EXPECT_FALSE(Execute(tests, "SELECT 1 INTO OUTFILE '/tmp/lms_privilege_probe'").ok());
}

}  // namespace
}  // namespace lms
