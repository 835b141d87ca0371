// A server accepts session-less development tokens only when started with
// --allow_development_tokens; tokens of real sessions work either way.

#include <gtest/gtest.h>

#include "lms/v1/identity.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

TEST(DevelopmentTokensTest, AServerWithoutTheFlagRefusesSessionlessTokens) {
  testing::TestServer server("development_tokens", [](server::ServerConfig& config) {
    config.allow_development_tokens = false;
  });
  v1::Caller who;
  const std::string sessionless = server.Token(auth::Role::kSystemAdmin);
  EXPECT_EQ(server.identity()
                .WhoAmI(server.Context(sessionless).get(), v1::WhoAmIRequest(), &who)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A token naming a session that exists and is open passes.
  auth::Caller member;
  member.role = auth::Role::kMember;
  member.member_id = 1;
  member.organization_id = 1;
  auto& db = server.database();
  testing::SeedRootAndTwoBranches(db);
  db.Execute(
      "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
      " version, create_time, update_time) VALUES (1, '党员', 'DT1', 1, 2, 1, 1, NOW(), NOW())");
  db.Execute(
      "INSERT INTO session (id, role, member_id, organization_id, create_time, expire_time)"
      " VALUES (7, 1, 1, 1, NOW(), NOW() + INTERVAL 1 DAY)");
  member.session_id = "7";
  EXPECT_TRUE(server.identity()
                  .WhoAmI(server.Context(server.TokenFor(member)).get(), v1::WhoAmIRequest(), &who)
                  .ok());
  EXPECT_EQ(who.member_id(), 1);
}

}  // namespace
}  // namespace lms
