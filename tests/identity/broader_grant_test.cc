// A branch admin cannot take over or lock out a member whose own admin grants reach
// beyond the branch (党办 staff are members of a branch and system admins): every write on
// such a member — an activation code, an edit, deactivation, a transfer, a grant — is
// PERMISSION_DENIED before any handler logic, and nothing is written. Reads stay allowed;
// a member whose grants lie inside the admin's subtree may be changed; a system admin may
// change anyone.

#include <gtest/gtest.h>

#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kBranchA = 2;
constexpr int64_t kOfficeHead = 13;  // in A, system admin
constexpr int64_t kDeputy = 14;      // in A, organisation admin of A itself
constexpr grpc::StatusCode kDenied = grpc::StatusCode::PERMISSION_DENIED;

class BroaderGrantTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("broader_grant");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (12, '甲管', 'BG12', 2, 2, 1, 1, NOW(), NOW()),"
        " (13, '党办主任', 'BG13', 2, 2, 1, 1, NOW(), NOW()),"
        " (14, '甲副管', 'BG14', 2, 2, 1, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO member_assignment (member_id, organization_id, valid_from) VALUES"
        " (12, 2, '2020-01-01'), (13, 2, '2020-01-01'), (14, 2, '2020-01-01')");
    db.Execute(
        "INSERT INTO admin_grant (member_id, role, organization_id) VALUES"
        " (12, 3, 2), (13, 4, 1), (14, 3, 2)");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string AdminOfA() { return server_->Token(Role::kOrgAdmin, 12, kBranchA); }
  static std::string SystemAdmin() { return server_->Token(Role::kSystemAdmin, 1, 1); }

  static grpc::StatusCode IssueCode(const std::string& token, int64_t member) {
    v1::IssueActivationCodeRequest request;
    request.set_member_id(member);
    v1::ActivationCode code;
    return server_->identity()
        .IssueActivationCode(server_->Context(token).get(), request, &code)
        .error_code();
  }
  static v1::Member Get(int64_t member) {
    v1::GetMemberRequest request;
    request.set_member_id(member);
    v1::Member found;
    EXPECT_TRUE(server_->organizations()
                    .GetMember(server_->Context(SystemAdmin()).get(), request, &found)
                    .ok());
    return found;
  }
  // Every table a refused write could have touched, summed.
  static int64_t Footprint() {
    auto& db = server_->database();
    return db.CountRows("activation_code") + db.CountRows("admin_grant") +
           db.CountRows("member_assignment") + db.QueryInt("SELECT SUM(version) FROM member");
  }

  static testing::TestServer* server_;
};
testing::TestServer* BroaderGrantTest::server_ = nullptr;

TEST_F(BroaderGrantTest, ABranchAdminCannotWriteToAMemberWithABroaderGrant) {
  const int64_t before = Footprint();
  EXPECT_EQ(IssueCode(AdminOfA(), kOfficeHead), kDenied);

  v1::UpdateMemberRequest update;
  *update.mutable_member() = Get(kOfficeHead);
  update.mutable_member()->set_status(v1::MEMBER_STATUS_INACTIVE);
  update.set_expected_version(update.member().version());
  v1::Member updated;
  EXPECT_EQ(server_->organizations()
                .UpdateMember(server_->Context(AdminOfA()).get(), update, &updated)
                .error_code(),
            kDenied);

  v1::TransferMemberRequest transfer;
  transfer.set_member_id(kOfficeHead);
  transfer.set_target_organization_id(kBranchA);
  transfer.set_expected_version(1);
  EXPECT_EQ(server_->organizations()
                .TransferMember(server_->Context(AdminOfA()).get(), transfer, &updated)
                .error_code(),
            kDenied);

  v1::RevokeAdminRoleRequest revoke;
  revoke.set_member_id(kOfficeHead);
  revoke.set_role(v1::ROLE_SYSTEM_ADMIN);
  revoke.set_organization_id(1);
  v1::RevokeAdminRoleResponse revoked;
  EXPECT_EQ(server_->identity()
                .RevokeAdminRole(server_->Context(AdminOfA()).get(), revoke, &revoked)
                .error_code(),
            kDenied);
  EXPECT_EQ(Footprint(), before);
}

TEST_F(BroaderGrantTest, ReadsStayAllowedAndGrantsInsideTheSubtreeDoNotBlock) {
  v1::GetMemberRequest get;
  get.set_member_id(kOfficeHead);
  v1::Member found;
  EXPECT_TRUE(
      server_->organizations().GetMember(server_->Context(AdminOfA()).get(), get, &found).ok());
  EXPECT_EQ(IssueCode(AdminOfA(), kDeputy), grpc::StatusCode::OK);
  EXPECT_EQ(IssueCode(SystemAdmin(), kOfficeHead), grpc::StatusCode::OK);
}

}  // namespace
}  // namespace lms
