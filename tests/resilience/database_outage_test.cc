// What happens when the database dies, comes back, or is not durable. Each test runs its
// own disposable MariaDB, so killing it disturbs no other suite.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/db/durability_check.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lms/v1/course.grpc.pb.h"
#include "tests/testing/private_mariadb.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;

absl::Time Soon() { return absl::Now() + absl::Seconds(5); }

class DatabaseOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mariadb_.Start();
    // Point the test helpers (fresh database per suite) at the disposable instance.
    setenv("LMS_TEST_DB_SOCKET", mariadb_.socket().c_str(), 1);
    setenv("LMS_TEST_DB_PASSWORD_FILE", mariadb_.test_password_file().c_str(), 1);
    setenv("LMS_TEST_DB_USER", "lms_test", 1);
    setenv("LMS_TEST_DB_NAME", "t_admin", 1);
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(int port) {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckResponse response;
    if (!stub->Check(&context, {}, &response).ok())
      return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    return response.status();
  }

  // Polls `probe` until it returns true or `limit` passes; returns how long it took.
  template <typename Probe>
  absl::Duration Until(absl::Duration limit, Probe&& probe) {
    const absl::Time start = absl::Now();
    while (!probe() && absl::Now() - start < limit) absl::SleepFor(absl::Milliseconds(50));
    return absl::Now() - start;
  }

  testing::PrivateMariaDb mariadb_;
};

TEST_F(DatabaseOutageTest, PoolRecoversByItselfAfterKill9AndRestart) {
  db::ConnectionPool pool(mariadb_.config());
  ASSERT_THAT(pool.Ping(Soon()), IsOk());

  mariadb_.Kill9();
  EXPECT_THAT(pool.Ping(Soon()), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(pool.Ping(Soon()), StatusIs(absl::StatusCode::kUnavailable));

  mariadb_.Start();  // returns once the database answers
  const absl::Duration took = Until(absl::Seconds(10), [&] { return pool.Ping(Soon()).ok(); });
  RecordProperty("first_ok_after_restart_ms", absl::StrCat(absl::ToInt64Milliseconds(took)));
  std::cout << "pool: first OK " << took << " after the database was back\n";
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_THAT(pool.Ping(Soon()), IsOk());
}

TEST_F(DatabaseOutageTest, ServerAnswersUnavailableThenRecoversWithoutRestart) {
  testing::TestServer server("outage");
  const std::string admin = server.Token(auth::Role::kSystemAdmin);
  const auto create = [&](const std::string& request_id) {
    v1::CreateCourseRequest request;
    request.set_request_id(request_id);
    request.mutable_course()->set_title("断线重连");
    request.mutable_course()->set_content_category(v1::CONTENT_CATEGORY_PARTY_PURPOSE);
    v1::Course created;
    return server.courses()
        .CreateCourse(server.Context(admin).get(), request, &created)
        .error_code();
  };
  ASSERT_EQ(create("before"), grpc::StatusCode::OK);
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 1; }), absl::Seconds(5));

  mariadb_.Kill9();
  EXPECT_EQ(create("during"), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 2; }), absl::Seconds(5));
  // Reads of the catalogue keep working from memory while the database is away.
  v1::ListCoursesRequest list;
  v1::ListCoursesResponse listed;
  EXPECT_TRUE(server.courses().ListCourses(server.Context(admin).get(), list, &listed).ok());

  mariadb_.Start();
  int attempt = 0;
  const absl::Duration took = Until(absl::Seconds(10), [&] {
    return create(absl::StrCat("after-", attempt++)) == grpc::StatusCode::OK;
  });
  std::cout << "server: first OK write " << took << " after the database was back\n";
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 1; }), absl::Seconds(5));
}

TEST_F(DatabaseOutageTest, NonDurableDatabaseIsRefused) {
  testing::TestServer server("durability");
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 1; }), absl::Seconds(5));

  mariadb_.RootSql("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
  db::ConnectionPool pool(mariadb_.config());
  EXPECT_THAT(db::CheckDurability(pool, Soon()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 2; }), absl::Seconds(5));
  // It stays refused: no tick of the health watcher reports SERVING meanwhile.
  EXPECT_GE(Until(absl::Seconds(2), [&] { return Health(server.port()) == 1; }), absl::Seconds(2));

  mariadb_.RootSql("SET GLOBAL innodb_flush_log_at_trx_commit = 1");
  EXPECT_THAT(db::CheckDurability(pool, Soon()), IsOk());
  EXPECT_LT(Until(absl::Seconds(5), [&] { return Health(server.port()) == 1; }), absl::Seconds(5));
}

}  // namespace
}  // namespace lms
