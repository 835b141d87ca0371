// Sign-in, sessions and kiosks through a real gRPC channel against a real database:
// activation, throttling, refresh rotation and reuse, revocation reaching access tokens,
// admin roles, kiosk-bound sessions, and no secret in any log line or table.

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "lms/v1/course.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/identity/kiosk_service.h"
#include "services/identity/sign_in_throttle.h"
#include "tests/testing/identity_helpers.h"
#include "tests/testing/test_server.h"

namespace lms::identity {
namespace {

using auth::Role;

constexpr grpc::StatusCode kOk = grpc::StatusCode::OK;
constexpr char kPassword[] = "正确的密码 correct horse 🐎";

class IdentityApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("identity_api");
    root_ = server_->CreateRootOrganization();
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return helpers().Admin(); }
  static testing::IdentityHelpers helpers() { return testing::IdentityHelpers(*server_, root_); }
  static v1::Organization CreateBranch(const std::string& code) {
    return helpers().CreateBranch(code);
  }
  static v1::Member CreateMember(const std::string& number, const std::string& phone = "",
                                 int64_t organization_id = 0) {
    return helpers().CreateMember(number, phone, organization_id);
  }
  static std::string IssueCode(int64_t member_id, const std::string& token = "") {
    return helpers().IssueCode(member_id, token);
  }
  static grpc::Status Activate(const std::string& login, const std::string& code,
                               const std::string& password, v1::Session* session) {
    return helpers().Activate(login, code, password, session);
  }
  // A member who has set kPassword.
  static v1::Member ActivatedMember(const std::string& number, const std::string& phone = "",
                                    int64_t organization_id = 0) {
    return helpers().ActivatedMember(number, kPassword, phone, organization_id);
  }
  static grpc::Status SignIn(const std::string& login, const std::string& password,
                             v1::Session* session, v1::Role role = v1::ROLE_UNSPECIFIED) {
    return helpers().SignIn(login, password, session, role);
  }

  static grpc::Status WhoAmI(const std::string& token, v1::Caller* caller) {
    return server_->identity().WhoAmI(server_->Context(token).get(), v1::WhoAmIRequest(), caller);
  }

  static grpc::Status Refresh(const std::string& refresh_token, v1::Session* session) {
    v1::RefreshSessionRequest request;
    request.set_refresh_token(refresh_token);
    return server_->identity().RefreshSession(server_->Context("").get(), request, session);
  }

  static testing::TestServer* server_;
  static v1::Organization root_;
};

testing::TestServer* IdentityApiTest::server_ = nullptr;
v1::Organization IdentityApiTest::root_;

TEST_F(IdentityApiTest, ActivatedMemberSignsInByNumberOrPhone) {
  const v1::Member member = ActivatedMember("I1-001", "13900000001");
  v1::Session by_number;
  ASSERT_EQ(SignIn("I1-001", kPassword, &by_number).error_code(), kOk);
  EXPECT_FALSE(by_number.access_token().empty());
  EXPECT_FALSE(by_number.refresh_token().empty());
  EXPECT_EQ(by_number.caller().role(), v1::ROLE_MEMBER);
  EXPECT_EQ(by_number.caller().member_id(), member.id());
  v1::Session by_phone;
  ASSERT_EQ(SignIn("13900000001", kPassword, &by_phone).error_code(), kOk);
  v1::Caller caller;
  ASSERT_EQ(WhoAmI(by_phone.access_token(), &caller).error_code(), kOk);
  EXPECT_EQ(caller.member_id(), member.id());
  EXPECT_EQ(caller.display_name(), "党员I1-001");
  // The stored hash is Argon2id with at least 19 MiB and 2 passes.
  EXPECT_EQ(
      server_->database().QueryInt("SELECT COUNT(*) FROM member_credential WHERE member_id = ?"
                                   " AND password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'",
                                   {member.id()}),
      1);
}

TEST_F(IdentityApiTest, AHashBelowThePolicyIsRehashedAtSignIn) {
  // A password hashed under an older, weaker policy (8 MiB, 1 pass), as a migration from
  // another system or an earlier release would leave it.
  const v1::Member member = CreateMember("I15-001");
  server_->database().Execute(
      absl::StrCat("INSERT INTO member_credential (member_id, password_hash) VALUES (", member.id(),
                   ", '$argon2id$v=19$m=8192,t=1,p=1$ehPFxDpPDSufbFHAmzWw+A$"
                   "YhsM0ImRbkSRuxv18ZOuiplaDuycohIbhu5CnBeqkC8')"));
  v1::Session session;
  ASSERT_EQ(SignIn("I15-001", "Rehash-me-please-2026", &session).error_code(), kOk);
  EXPECT_EQ(
      server_->database().QueryInt("SELECT COUNT(*) FROM member_credential WHERE member_id = ?"
                                   " AND password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'",
                                   {member.id()}),
      1);
  EXPECT_EQ(SignIn("I15-001", "Rehash-me-please-2026", &session).error_code(), kOk);
}

TEST_F(IdentityApiTest, UnknownAccountAndWrongPasswordAnswerAlike) {
  ActivatedMember("I2-001");
  const v1::Member never_activated = CreateMember("I2-002");
  v1::Session session;
  const grpc::Status wrong = SignIn("I2-001", "not the password at all", &session);
  const grpc::Status unknown = SignIn("I2-NOBODY", "not the password at all", &session);
  const grpc::Status inactive = SignIn("I2-002", "not the password at all", &session);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(inactive.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.error_message(), unknown.error_message());
  EXPECT_EQ(wrong.error_message(), inactive.error_message());
  EXPECT_GT(never_activated.id(), 0);
}

TEST_F(IdentityApiTest, PasswordPolicyCountsCharactersNotBytes) {
  const v1::Member member = CreateMember("I3-001");
  v1::Session session;
  EXPECT_EQ(Activate("I3-001", IssueCode(member.id()), "elevenchars", &session).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      Activate("I3-001", IssueCode(member.id()), std::string(129, 'x'), &session).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  // 128 four-byte characters: 512 bytes, within the limit, never truncated.
  std::string long_password;
  for (int i = 0; i < 128; ++i) long_password += "𠮷";
  ASSERT_EQ(Activate("I3-001", IssueCode(member.id()), long_password, &session).error_code(), kOk);
  EXPECT_EQ(SignIn("I3-001", long_password, &session).error_code(), kOk);
  EXPECT_EQ(
      SignIn("I3-001", long_password.substr(0, long_password.size() - 4), &session).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  // Full-width and half-width forms of the same password are one password (NFKC).
  const v1::Member wide = CreateMember("I3-002");
  ASSERT_EQ(
      Activate("I3-002", IssueCode(wide.id()), "ＡＢＣＤ１２３４ｅｆｇｈ", &session).error_code(),
      kOk);
  EXPECT_EQ(SignIn("I3-002", "ABCD1234efgh", &session).error_code(), kOk);
}

TEST_F(IdentityApiTest, RepeatedFailuresLockTheAccountKnownOrNot) {
  ActivatedMember("I4-001");
  v1::Session session;
  for (const std::string login : {"I4-001", "I4-NOBODY"}) {
    for (int i = 0; i < kPasswordThrottle.free_attempts; ++i) {
      EXPECT_EQ(SignIn(login, "wrong password here", &session).error_code(),
                grpc::StatusCode::UNAUTHENTICATED)
          << login << " attempt " << i;
    }
    // Locked now (for 2 s), even with the right password.
    const grpc::Status locked = SignIn(login, kPassword, &session);
    EXPECT_EQ(locked.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << login;
    EXPECT_NE(locked.error_message().find("try again in"), std::string::npos);
  }
}

TEST_F(IdentityApiTest, RefreshRotatesAndReuseEndsTheSession) {
  ActivatedMember("I5-001");
  v1::Session first;
  ASSERT_EQ(SignIn("I5-001", kPassword, &first).error_code(), kOk);
  v1::Session second;
  ASSERT_EQ(Refresh(first.refresh_token(), &second).error_code(), kOk);
  EXPECT_NE(second.refresh_token(), first.refresh_token());
  v1::Caller caller;
  ASSERT_EQ(WhoAmI(second.access_token(), &caller).error_code(), kOk);

  // The first token again: a copy was stolen. The whole session ends.
  v1::Session refused;
  EXPECT_EQ(Refresh(first.refresh_token(), &refused).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Refresh(second.refresh_token(), &refused).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(second.access_token(), &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(first.access_token(), &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Refresh("rt1_forged", &refused).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IdentityApiTest, SignOutRevokesTheAccessTokenAtOnce) {
  ActivatedMember("I6-001");
  v1::Session here;
  v1::Session there;
  ASSERT_EQ(SignIn("I6-001", kPassword, &here).error_code(), kOk);
  ASSERT_EQ(SignIn("I6-001", kPassword, &there).error_code(), kOk);
  v1::SignOutResponse out;
  ASSERT_EQ(server_->identity()
                .SignOut(server_->Context(here.access_token()).get(), v1::SignOutRequest(), &out)
                .error_code(),
            kOk);
  v1::Caller caller;
  EXPECT_EQ(WhoAmI(here.access_token(), &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(there.access_token(), &caller).error_code(), kOk);
  v1::Session refused;
  EXPECT_EQ(Refresh(here.refresh_token(), &refused).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Everywhere: the other session ends too.
  v1::SignOutRequest everywhere;
  everywhere.set_everywhere(true);
  ASSERT_EQ(server_->identity()
                .SignOut(server_->Context(there.access_token()).get(), everywhere, &out)
                .error_code(),
            kOk);
  EXPECT_EQ(WhoAmI(there.access_token(), &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IdentityApiTest, AMemberWhoLeavesIsSignedOutAtOnce) {
  const v1::Member member = ActivatedMember("I14-001");
  v1::Session session;
  ASSERT_EQ(SignIn("I14-001", kPassword, &session).error_code(), kOk);
  v1::UpdateMemberRequest leave;
  *leave.mutable_member() = member;
  leave.mutable_member()->set_status(v1::MEMBER_STATUS_TRANSFERRED_OUT);
  leave.set_expected_version(member.version());
  v1::Member left;
  ASSERT_EQ(server_->organizations()
                .UpdateMember(server_->Context(Admin()).get(), leave, &left)
                .error_code(),
            kOk);
  v1::Caller caller;
  EXPECT_EQ(WhoAmI(session.access_token(), &caller).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::Session refused;
  EXPECT_EQ(Refresh(session.refresh_token(), &refused).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(SignIn("I14-001", kPassword, &refused).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IdentityApiTest, AdminRolesNeedAGrant) {
  const v1::Organization branch = CreateBranch("I7-B");
  const v1::Member member = ActivatedMember("I7-001", "", branch.id());
  v1::Session session;
  EXPECT_EQ(SignIn("I7-001", kPassword, &session, v1::ROLE_ORG_ADMIN).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  server_->database().Execute(
      absl::StrCat("INSERT INTO admin_grant (member_id, role, organization_id) VALUES (",
                   member.id(), ", 3, ", branch.id(), ")"));
  ASSERT_EQ(SignIn("I7-001", kPassword, &session, v1::ROLE_ORG_ADMIN).error_code(), kOk);
  EXPECT_EQ(session.caller().role(), v1::ROLE_ORG_ADMIN);
  EXPECT_EQ(session.caller().organization_id(), branch.id());
  EXPECT_EQ(SignIn("I7-001", kPassword, &session, v1::ROLE_SYSTEM_ADMIN).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(SignIn("I7-001", kPassword, &session, v1::ROLE_KIOSK).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(IdentityApiTest, AdminsAreAppointedAndDismissedThroughTheApi) {
  const v1::Organization branch = CreateBranch("I13-B");
  const v1::Organization other = CreateBranch("I13-C");
  const v1::Member secretary = ActivatedMember("I13-001", "", branch.id());
  const v1::Member deputy = ActivatedMember("I13-002", "", branch.id());
  const auto grant = [](const std::string& token, int64_t member, v1::Role role,
                        int64_t organization) {
    v1::GrantAdminRoleRequest request;
    request.set_member_id(member);
    request.set_role(role);
    request.set_organization_id(organization);
    v1::AdminGrant granted;
    return server_->identity()
        .GrantAdminRole(server_->Context(token).get(), request, &granted)
        .error_code();
  };
  ASSERT_EQ(grant(Admin(), secretary.id(), v1::ROLE_ORG_ADMIN, branch.id()), kOk);
  ASSERT_EQ(grant(Admin(), secretary.id(), v1::ROLE_ORG_ADMIN, branch.id()), kOk);  // idempotent
  v1::Session admin_session;
  ASSERT_EQ(SignIn("I13-001", kPassword, &admin_session, v1::ROLE_ORG_ADMIN).error_code(), kOk);
  EXPECT_EQ(admin_session.caller().organization_id(), branch.id());
  const std::string branch_admin = admin_session.access_token();
  // The branch admin delegates within its branch, but makes no system admin and reaches no
  // other branch.
  EXPECT_EQ(grant(branch_admin, deputy.id(), v1::ROLE_ORG_ADMIN, branch.id()), kOk);
  EXPECT_EQ(grant(branch_admin, deputy.id(), v1::ROLE_SYSTEM_ADMIN, branch.id()),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(grant(branch_admin, deputy.id(), v1::ROLE_ORG_ADMIN, other.id()),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(grant(branch_admin, deputy.id(), v1::ROLE_UNSPECIFIED, branch.id()),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListAdminGrantsRequest list;
  list.set_member_id(deputy.id());
  v1::ListAdminGrantsResponse grants;
  ASSERT_EQ(server_->identity()
                .ListAdminGrants(server_->Context(branch_admin).get(), list, &grants)
                .error_code(),
            kOk);
  ASSERT_EQ(grants.grants_size(), 1);
  EXPECT_EQ(grants.grants(0).organization_id(), branch.id());

  // Dismissal ends the admin session at once; nobody dismisses itself.
  v1::RevokeAdminRoleRequest dismiss;
  dismiss.set_member_id(secretary.id());
  dismiss.set_role(v1::ROLE_ORG_ADMIN);
  dismiss.set_organization_id(branch.id());
  v1::RevokeAdminRoleResponse dismissed;
  EXPECT_EQ(server_->identity()
                .RevokeAdminRole(server_->Context(branch_admin).get(), dismiss, &dismissed)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_EQ(server_->identity()
                .RevokeAdminRole(server_->Context(Admin()).get(), dismiss, &dismissed)
                .error_code(),
            kOk);
  v1::Caller caller;
  EXPECT_EQ(WhoAmI(branch_admin, &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::Session refused;
  EXPECT_EQ(SignIn("I13-001", kPassword, &refused, v1::ROLE_ORG_ADMIN).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IdentityApiTest, AdminResetForcesANewPassword) {
  const v1::Member member = ActivatedMember("I8-001");
  const std::string code = IssueCode(member.id());
  v1::Session session;
  ASSERT_EQ(SignIn("I8-001", kPassword, &session).error_code(), kOk);
  EXPECT_TRUE(session.password_change_required());
  EXPECT_TRUE(session.access_token().empty());
  EXPECT_TRUE(session.refresh_token().empty());
  // A wrong code and a reused code are refused alike.
  EXPECT_EQ(Activate("I8-001", "WRONG-CODE-0000", "一个全新的密码 new one", &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(Activate("I8-001", code, "一个全新的密码 new one", &session).error_code(), kOk);
  EXPECT_FALSE(session.access_token().empty());
  // The same activation again (its answer lost on a bad network) signs in rather than fails.
  v1::Session retried;
  ASSERT_EQ(Activate("I8-001", code, "一个全新的密码 new one", &retried).error_code(), kOk);
  EXPECT_FALSE(retried.access_token().empty());
  EXPECT_EQ(Activate("I8-001", code, "再来一个新的密码 again", &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(SignIn("I8-001", kPassword, &session).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(SignIn("I8-001", "一个全新的密码 new one", &session).error_code(), kOk);
  EXPECT_FALSE(session.password_change_required());
}

TEST_F(IdentityApiTest, ChangePasswordEndsOtherSessionsOnly) {
  ActivatedMember("I9-001");
  v1::Session mine;
  v1::Session other;
  ASSERT_EQ(SignIn("I9-001", kPassword, &mine).error_code(), kOk);
  ASSERT_EQ(SignIn("I9-001", kPassword, &other).error_code(), kOk);
  v1::ChangePasswordRequest request;
  request.set_current_password("not my password");
  request.set_new_password("换一个新密码 changed");
  v1::ChangePasswordResponse response;
  EXPECT_EQ(server_->identity()
                .ChangePassword(server_->Context(mine.access_token()).get(), request, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  request.set_current_password(kPassword);
  ASSERT_EQ(server_->identity()
                .ChangePassword(server_->Context(mine.access_token()).get(), request, &response)
                .error_code(),
            kOk);
  // A retry of the same change (its answer lost) succeeds instead of failing.
  EXPECT_EQ(server_->identity()
                .ChangePassword(server_->Context(mine.access_token()).get(), request, &response)
                .error_code(),
            kOk);
  v1::Caller caller;
  EXPECT_EQ(WhoAmI(mine.access_token(), &caller).error_code(), kOk);
  EXPECT_EQ(WhoAmI(other.access_token(), &caller).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::Session session;
  EXPECT_EQ(SignIn("I9-001", "换一个新密码 changed", &session).error_code(), kOk);
}

TEST_F(IdentityApiTest, KioskSessionsAreBoundToTheirDevice) {
  const v1::Organization branch = CreateBranch("I10-B");
  const v1::Member member = ActivatedMember("I10-001", "", branch.id());
  const std::string branch_admin = server_->Token(Role::kOrgAdmin, 1, branch.id());
  const auto register_kiosk = [&](const std::string& name) {
    v1::RegisterKioskRequest request;
    request.set_organization_id(branch.id());
    request.set_name(name);
    v1::KioskRegistration registration;
    EXPECT_EQ(server_->identity()
                  .RegisterKiosk(server_->Context(branch_admin).get(), request, &registration)
                  .error_code(),
              kOk);
    return registration;
  };
  const auto kiosk_sign_in = [&](const std::string& credential, v1::Session* session) {
    v1::KioskSignInRequest request;
    request.set_device_credential(credential);
    return server_->identity().KioskSignIn(server_->Context("").get(), request, session);
  };
  const v1::KioskRegistration workshop = register_kiosk("一车间党员活动室");
  const v1::KioskRegistration office = register_kiosk("机关活动室");
  v1::Session workshop_session;
  v1::Session office_session;
  ASSERT_EQ(kiosk_sign_in(workshop.device_credential(), &workshop_session).error_code(), kOk);
  ASSERT_EQ(kiosk_sign_in(office.device_credential(), &office_session).error_code(), kOk);
  EXPECT_EQ(workshop_session.caller().role(), v1::ROLE_KIOSK);
  EXPECT_TRUE(workshop_session.refresh_token().empty());

  // The member sets a PIN on the phone, then identifies at the workshop kiosk.
  v1::Session phone;
  ASSERT_EQ(SignIn("I10-001", kPassword, &phone).error_code(), kOk);
  v1::SetKioskPinRequest pin;
  pin.set_pin("2468");
  v1::SetKioskPinResponse pin_set;
  ASSERT_EQ(server_->identity()
                .SetKioskPin(server_->Context(phone.access_token()).get(), pin, &pin_set)
                .error_code(),
            kOk);
  v1::KioskMemberSignInRequest identify;
  identify.set_member_number("I10-001");
  identify.set_pin("2468");
  v1::Session on_kiosk;
  ASSERT_EQ(server_->identity()
                .KioskMemberSignIn(server_->Context(workshop_session.access_token()).get(),
                                   identify, &on_kiosk)
                .error_code(),
            kOk);
  EXPECT_EQ(on_kiosk.caller().member_id(), member.id());
  EXPECT_EQ(on_kiosk.caller().kiosk_id(), workshop.kiosk_id());
  EXPECT_TRUE(on_kiosk.refresh_token().empty());

  const auto list_courses = [&](const std::string& kiosk_token) {
    auto context = server_->Context(on_kiosk.access_token());
    if (!kiosk_token.empty()) {
      context->AddMetadata("lms-kiosk-authorization", absl::StrCat("Bearer ", kiosk_token));
    }
    v1::ListCoursesResponse response;
    return server_->courses().ListCourses(context.get(), v1::ListCoursesRequest(), &response);
  };
  EXPECT_EQ(list_courses(workshop_session.access_token()).error_code(), kOk);
  EXPECT_EQ(list_courses("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(list_courses(office_session.access_token()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(list_courses(phone.access_token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Self-service only: changing the password is not for a shared device.
  {
    auto context = server_->Context(on_kiosk.access_token());
    context->AddMetadata("lms-kiosk-authorization",
                         absl::StrCat("Bearer ", workshop_session.access_token()));
    v1::ChangePasswordRequest change;
    change.set_current_password(kPassword);
    change.set_new_password("kiosk should not do this");
    v1::ChangePasswordResponse changed;
    EXPECT_EQ(server_->identity().ChangePassword(context.get(), change, &changed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }

  // Revoking the kiosk ends its own session and every member session on it, at once.
  v1::RevokeKioskRequest revoke;
  revoke.set_kiosk_id(workshop.kiosk_id());
  v1::RevokeKioskResponse revoked;
  ASSERT_EQ(server_->identity()
                .RevokeKiosk(server_->Context(branch_admin).get(), revoke, &revoked)
                .error_code(),
            kOk);
  EXPECT_EQ(list_courses(workshop_session.access_token()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::Session refused;
  EXPECT_EQ(kiosk_sign_in(workshop.device_credential(), &refused).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(kiosk_sign_in(office.device_credential(), &refused).error_code(), kOk);
  // Another branch's admin cannot revoke this branch's kiosk.
  const v1::Organization other = CreateBranch("I10-C");
  revoke.set_kiosk_id(office.kiosk_id());
  EXPECT_EQ(server_->identity()
                .RevokeKiosk(server_->Context(server_->Token(Role::kOrgAdmin, 1, other.id())).get(),
                             revoke, &revoked)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IdentityApiTest, WrongPinsLockThePin) {
  const v1::Member member = ActivatedMember("I11-001");
  v1::Session phone;
  ASSERT_EQ(SignIn("I11-001", kPassword, &phone).error_code(), kOk);
  v1::SetKioskPinRequest pin;
  pin.set_pin("135790");
  v1::SetKioskPinResponse pin_set;
  ASSERT_EQ(server_->identity()
                .SetKioskPin(server_->Context(phone.access_token()).get(), pin, &pin_set)
                .error_code(),
            kOk);
  v1::RegisterKioskRequest request;
  request.set_organization_id(root_.id());
  request.set_name("党员活动室");
  v1::KioskRegistration kiosk;
  ASSERT_EQ(server_->identity()
                .RegisterKiosk(server_->Context(Admin()).get(), request, &kiosk)
                .error_code(),
            kOk);
  v1::KioskSignInRequest device;
  device.set_device_credential(kiosk.device_credential());
  v1::Session kiosk_session;
  ASSERT_EQ(server_->identity()
                .KioskSignIn(server_->Context("").get(), device, &kiosk_session)
                .error_code(),
            kOk);
  const auto identify = [&](const std::string& number, const std::string& pin_code) {
    v1::KioskMemberSignInRequest r;
    r.set_member_number(number);
    r.set_pin(pin_code);
    v1::Session s;
    return server_->identity()
        .KioskMemberSignIn(server_->Context(kiosk_session.access_token()).get(), r, &s)
        .error_code();
  };
  EXPECT_EQ(identify("I11-NOBODY", "0000"), grpc::StatusCode::UNAUTHENTICATED);
  for (int i = 0; i < kPinThrottle.free_attempts; ++i) {
    EXPECT_EQ(identify("I11-001", "0000"), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(identify("I11-001", "135790"), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(identify("I11-001", "12"), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_GT(member.id(), 0);

  // A device guessing across member numbers is stopped as a whole: after enough wrong PINs
  // in its window, even a right PIN of another member waits.
  const v1::Member other = ActivatedMember("I11-002");
  v1::Session other_phone;
  ASSERT_EQ(SignIn("I11-002", kPassword, &other_phone).error_code(), kOk);
  pin.set_pin("8642");
  ASSERT_EQ(server_->identity()
                .SetKioskPin(server_->Context(other_phone.access_token()).get(), pin, &pin_set)
                .error_code(),
            kOk);
  ASSERT_EQ(identify("I11-002", "8642"), kOk);
  for (int i = 1 + kPinThrottle.free_attempts; i < kDeviceFreeAttempts; ++i) {
    EXPECT_EQ(identify(absl::StrCat("I11-GUESS-", i), "0000"), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(identify("I11-002", "8642"), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GT(other.id(), 0);
}

TEST_F(IdentityApiTest, NoSecretReachesALogLineOrATable) {
  log::Init("debug");
  ::testing::internal::CaptureStderr();
  const v1::Member member = CreateMember("I12-001");
  const std::string code = IssueCode(member.id());
  v1::Session session;
  ASSERT_EQ(Activate("I12-001", code, kPassword, &session).error_code(), kOk);
  v1::Session wrong;
  EXPECT_EQ(SignIn("I12-001", "a guessed secret 猜的", &wrong).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::Session refreshed;
  ASSERT_EQ(Refresh(session.refresh_token(), &refreshed).error_code(), kOk);
  v1::SetKioskPinRequest pin;
  pin.set_pin("97531");
  v1::SetKioskPinResponse pin_set;
  ASSERT_EQ(server_->identity()
                .SetKioskPin(server_->Context(refreshed.access_token()).get(), pin, &pin_set)
                .error_code(),
            kOk);
  const std::string logged = ::testing::internal::GetCapturedStderr();
  log::Init("info");
  // The calls above were logged (at debug level), so the search below has lines to search.
  ASSERT_NE(logged.find("method=lms.v1.IdentityService.SignIn"), std::string::npos);
  // The failed sign-in is in the audit trail, by account, without what was typed.
  EXPECT_NE(logged.find(absl::StrCat("event=auth_failed account=m:", member.id())),
            std::string::npos);
  for (const std::string& secret :
       {std::string(kPassword), std::string("a guessed secret 猜的"), code, session.access_token(),
        session.refresh_token(), refreshed.refresh_token(), std::string("97531")}) {
    EXPECT_EQ(logged.find(secret), std::string::npos) << "a secret reached the log";
    for (const auto& [table, column] :
         std::vector<std::pair<std::string, std::string>>{{"member_credential", "password_hash"},
                                                          {"member_credential", "pin_hash"},
                                                          {"refresh_token", "token_hash"},
                                                          {"activation_code", "code_hash"}}) {
      EXPECT_EQ(server_->database().QueryInt(
                    absl::StrCat("SELECT COUNT(*) FROM ", table, " WHERE INSTR(CONVERT(", column,
                                 " USING utf8mb4), ?) > 0"),
                    {secret}),
                0)
          << "a secret is stored raw in " << table;
    }
  }
}

TEST_F(IdentityApiTest, AnAdminResetEndsEverySessionOfTheMember) {
  const v1::Member member = ActivatedMember("I20-001");
  v1::Session phone;
  ASSERT_EQ(SignIn("I20-001", kPassword, &phone).error_code(), kOk);
  v1::Caller who;
  ASSERT_EQ(WhoAmI(phone.access_token(), &who).error_code(), kOk);
  IssueCode(member.id());
  // Refused at once by this server, refresh too.
  EXPECT_EQ(WhoAmI(phone.access_token(), &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::Session refreshed;
  EXPECT_EQ(Refresh(phone.refresh_token(), &refreshed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IdentityApiTest, ASessionThatMustChangeItsPasswordCannotBeRefreshed) {
  const v1::Member member = ActivatedMember("I21-001");
  v1::Session phone;
  ASSERT_EQ(SignIn("I21-001", kPassword, &phone).error_code(), kOk);
  // As a reset would leave it, with the session somehow still open.
  server_->database().Execute(absl::StrCat(
      "UPDATE member_credential SET must_change_password = TRUE WHERE member_id = ", member.id()));
  const auto open_sessions = [&] {
    return server_->database().QueryInt(
        "SELECT COUNT(*) FROM session WHERE member_id = ? AND revoked_at IS NULL", {member.id()});
  };
  const int64_t before = open_sessions();
  v1::Session refreshed;
  EXPECT_EQ(Refresh(phone.refresh_token(), &refreshed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(open_sessions(), before - 1);  // the refreshed one has ended
}

TEST_F(IdentityApiTest, RotationNeverExtendsASessionPastItsAbsoluteLifetime) {
  ActivatedMember("I22-001");
  v1::Session session;
  ASSERT_EQ(SignIn("I22-001", kPassword, &session).error_code(), kOk);
  // A member's session lives 30 days at most, however often it is refreshed.
  for (int hop = 0; hop < 2; ++hop) {
    server_->clock().Advance(absl::Hours(24 * 13));
    v1::Session next;
    ASSERT_EQ(Refresh(session.refresh_token(), &next).error_code(), kOk) << hop;
    session = next;
  }
  EXPECT_LE(session.refresh_token_expire_time().seconds(),
            absl::ToUnixSeconds(server_->clock().Now() + absl::Hours(24 * 4)));
  server_->clock().Advance(absl::Hours(24 * 5));
  v1::Session late;
  EXPECT_EQ(Refresh(session.refresh_token(), &late).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  server_->clock().Advance(-absl::Hours(24 * 31));
}

TEST_F(IdentityApiTest, ARetriedRegistrationReKeysOnlyTheSameLiveKioskOfTheSameOrganisation) {
  const v1::Organization a = CreateBranch("RK-A");
  const v1::Organization b = CreateBranch("RK-B");
  const auto register_kiosk = [&](int64_t organization, v1::KioskRegistration* registration) {
    v1::RegisterKioskRequest request;
    request.set_request_id("register-rk-1");
    request.set_organization_id(organization);
    request.set_name("活动室");
    return server_->identity()
        .RegisterKiosk(server_->Context(Admin()).get(), request, registration)
        .error_code();
  };
  v1::KioskRegistration first;
  ASSERT_EQ(register_kiosk(a.id(), &first), kOk);
  v1::KioskRegistration retried;
  ASSERT_EQ(register_kiosk(a.id(), &retried), kOk);
  EXPECT_EQ(retried.kiosk_id(), first.kiosk_id());
  EXPECT_NE(retried.device_credential(), first.device_credential());
  // The same request id naming another organisation re-keys nothing.
  const std::string hash = absl::StrCat(server_->database().QueryInt(
      "SELECT CRC32(credential_hash) FROM kiosk WHERE id = ?", {first.kiosk_id()}));
  v1::KioskRegistration elsewhere;
  EXPECT_EQ(register_kiosk(b.id(), &elsewhere), grpc::StatusCode::INVALID_ARGUMENT);
  // Nor does a retry after the kiosk was revoked.
  v1::RevokeKioskRequest revoke;
  revoke.set_kiosk_id(first.kiosk_id());
  v1::RevokeKioskResponse revoked;
  ASSERT_EQ(server_->identity()
                .RevokeKiosk(server_->Context(Admin()).get(), revoke, &revoked)
                .error_code(),
            kOk);
  EXPECT_EQ(register_kiosk(a.id(), &elsewhere), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(absl::StrCat(server_->database().QueryInt(
                "SELECT CRC32(credential_hash) FROM kiosk WHERE id = ?", {first.kiosk_id()})),
            hash);
}

}  // namespace
}  // namespace lms::identity
