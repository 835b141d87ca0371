// The identity side of offline study (README "Offline study: the trust model"): the
// kiosk ticket an online kiosk sign-in hands out, members' phone keys, and the signed
// texts both are made of, through a real gRPC channel against a real database.

#include <gtest/gtest.h>
#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "common/auth/kiosk_ticket.h"
#include "common/auth/phone_identification.h"
#include "lms/v1/identity.grpc.pb.h"
#include "tests/testing/identity_helpers.h"
#include "tests/testing/test_server.h"

namespace lms::identity {
namespace {

using auth::Role;

constexpr grpc::StatusCode kOk = grpc::StatusCode::OK;
constexpr char kPassword[] = "离线学习 offline study 🌙";

struct PhoneKey {
  std::string public_key;
  std::string secret_key;
};

PhoneKey NewPhoneKey() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  return {std::string(reinterpret_cast<char*>(pk), sizeof(pk)),
          std::string(reinterpret_cast<char*>(sk), sizeof(sk))};
}

class OfflineIdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("offline_identity");
    root_ = server_->CreateRootOrganization();
  }
  static void TearDownTestSuite() { delete server_; }

  static testing::IdentityHelpers helpers() { return testing::IdentityHelpers(*server_, root_); }

  static grpc::Status Register(const std::string& token, const std::string& public_key,
                               const std::string& name, v1::DeviceKey* key) {
    v1::RegisterDeviceKeyRequest request;
    request.set_public_key(public_key);
    request.set_name(name);
    return server_->identity().RegisterDeviceKey(server_->Context(token).get(), request, key);
  }
  static grpc::Status Revoke(const std::string& token, int64_t key_id, v1::DeviceKey* key) {
    v1::RevokeDeviceKeyRequest request;
    request.set_key_id(key_id);
    return server_->identity().RevokeDeviceKey(server_->Context(token).get(), request, key);
  }

  static testing::TestServer* server_;
  static v1::Organization root_;
};

testing::TestServer* OfflineIdentityTest::server_ = nullptr;
v1::Organization OfflineIdentityTest::root_;

TEST_F(OfflineIdentityTest, AnOnlineKioskSignInHandsOutATicketForAShiftAtThatKiosk) {
  const v1::Organization branch = helpers().CreateBranch("OI1-B");
  const v1::Member member = helpers().ActivatedMember("OI1-001", kPassword, "", branch.id());
  v1::Session phone;
  ASSERT_EQ(helpers().SignIn("OI1-001", kPassword, &phone).error_code(), kOk);
  ASSERT_EQ(helpers().SetPin(phone.access_token(), "3579").error_code(), kOk);
  v1::KioskRegistration registration;
  const v1::Session kiosk = helpers().KioskSession(branch.id(), &registration);
  v1::Session on_kiosk;
  ASSERT_EQ(helpers().KioskMemberSignIn(kiosk, "OI1-001", "3579", "", &on_kiosk).error_code(), kOk);

  ASSERT_FALSE(on_kiosk.kiosk_ticket().empty());
  const std::optional<auth::KioskTicket> ticket =
      auth::OpenKioskTicket(on_kiosk.kiosk_ticket(), server_->token_keys().public_key);
  ASSERT_TRUE(ticket.has_value());
  EXPECT_EQ(ticket->member_id, member.id());
  EXPECT_EQ(ticket->kiosk_id, registration.kiosk_id());
  EXPECT_FALSE(ticket->ticket_id.empty());
  // The window is a shift (offline.ticket_hours, 12), from the sign-in.
  EXPECT_EQ(ticket->expires - ticket->issued, absl::Hours(12));
  EXPECT_EQ(ticket->issued, absl::FromUnixSeconds(absl::ToUnixSeconds(server_->clock().Now())));
  EXPECT_EQ(on_kiosk.kiosk_ticket_expire_time().seconds(), absl::ToUnixSeconds(ticket->expires));

  // Nobody else's key opens it, a changed byte breaks it, and it is no access token.
  EXPECT_FALSE(auth::OpenKioskTicket(on_kiosk.kiosk_ticket(), NewPhoneKey().public_key));
  std::string altered = on_kiosk.kiosk_ticket();
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth::OpenKioskTicket(altered, server_->token_keys().public_key));
  v1::Caller caller;
  EXPECT_EQ(
      server_->identity()
          .WhoAmI(server_->Context(on_kiosk.kiosk_ticket()).get(), v1::WhoAmIRequest(), &caller)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  // A password sign-in on a phone carries no ticket.
  EXPECT_TRUE(phone.kiosk_ticket().empty());
}

TEST_F(OfflineIdentityTest, APhoneIdentificationOpensOnlyWithItsOwnKey) {
  const PhoneKey key = NewPhoneKey();
  auth::PhoneIdentification identification;
  identification.member_id = 7;
  identification.kiosk_id = 9;
  identification.key_id = 11;
  identification.issued = absl::FromUnixSeconds(1'790'000'000);
  identification.expires = identification.issued + absl::Hours(8);
  const std::string text = auth::SealPhoneIdentification(identification, key.secret_key);
  ASSERT_EQ(text.rfind("pi1.", 0), 0u);

  const std::optional<auth::PhoneIdentification> peeked = auth::PeekPhoneIdentification(text);
  ASSERT_TRUE(peeked.has_value());
  EXPECT_EQ(peeked->key_id, 11);
  const std::optional<auth::PhoneIdentification> opened =
      auth::OpenPhoneIdentification(text, key.public_key);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->member_id, 7);
  EXPECT_EQ(opened->kiosk_id, 9);
  EXPECT_EQ(opened->expires - opened->issued, absl::Hours(8));

  EXPECT_FALSE(auth::OpenPhoneIdentification(text, NewPhoneKey().public_key));
  std::string altered = text;
  altered[6] = altered[6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth::OpenPhoneIdentification(altered, key.public_key));
  // The same key's signature over a ticket's bytes is no identification: the domains differ.
  auth::KioskTicket ticket;
  ticket.ticket_id = "t";
  ticket.member_id = 7;
  ticket.kiosk_id = 9;
  ticket.issued = identification.issued;
  ticket.expires = identification.expires;
  const std::string ticket_text = auth::SealKioskTicket(ticket, key.secret_key);
  EXPECT_FALSE(
      auth::OpenPhoneIdentification(absl::StrCat("pi1.", ticket_text.substr(4)), key.public_key));
  EXPECT_FALSE(auth::OpenKioskTicket(ticket_text, key.public_key + "x"));
}

TEST_F(OfflineIdentityTest, MembersRegisterListAndRevokeTheirPhoneKeys) {
  const v1::Organization branch = helpers().CreateBranch("OI3-B");
  const v1::Member member = helpers().ActivatedMember("OI3-001", kPassword, "", branch.id());
  const v1::Member colleague = helpers().ActivatedMember("OI3-002", kPassword, "", branch.id());
  v1::Session phone;
  v1::Session colleague_phone;
  ASSERT_EQ(helpers().SignIn("OI3-001", kPassword, &phone).error_code(), kOk);
  ASSERT_EQ(helpers().SignIn("OI3-002", kPassword, &colleague_phone).error_code(), kOk);

  const PhoneKey first = NewPhoneKey();
  v1::DeviceKey registered;
  ASSERT_EQ(Register(phone.access_token(), first.public_key, "华为手机", &registered).error_code(),
            kOk);
  EXPECT_GT(registered.key_id(), 0);
  EXPECT_EQ(registered.member_id(), member.id());
  EXPECT_EQ(registered.public_key(), first.public_key);
  EXPECT_EQ(registered.name(), "华为手机");
  EXPECT_FALSE(registered.has_revoke_time());
  // The same key again (a retry): the same registration.
  v1::DeviceKey again;
  ASSERT_EQ(Register(phone.access_token(), first.public_key, "华为手机", &again).error_code(), kOk);
  EXPECT_EQ(again.key_id(), registered.key_id());
  // Another member cannot claim it.
  v1::DeviceKey stolen;
  EXPECT_EQ(
      Register(colleague_phone.access_token(), first.public_key, "偷来的", &stolen).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);

  // Five live keys at most.
  for (int i = 0; i < 4; ++i) {
    v1::DeviceKey more;
    ASSERT_EQ(
        Register(phone.access_token(), NewPhoneKey().public_key, absl::StrCat("手机", i), &more)
            .error_code(),
        kOk);
  }
  v1::DeviceKey sixth;
  EXPECT_EQ(Register(phone.access_token(), NewPhoneKey().public_key, "第六部", &sixth).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Another branch's admin may not revoke it; the member may, once (again: unchanged).
  const v1::Organization other = helpers().CreateBranch("OI3-C");
  v1::DeviceKey revoked;
  EXPECT_EQ(Revoke(server_->Token(Role::kOrgAdmin, 1, other.id()), registered.key_id(), &revoked)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Revoke(colleague_phone.access_token(), registered.key_id(), &revoked).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(Revoke(phone.access_token(), registered.key_id(), &revoked).error_code(), kOk);
  ASSERT_TRUE(revoked.has_revoke_time());
  server_->clock().Advance(absl::Minutes(1));
  v1::DeviceKey revoked_again;
  ASSERT_EQ(Revoke(phone.access_token(), registered.key_id(), &revoked_again).error_code(), kOk);
  EXPECT_EQ(revoked_again.revoke_time().seconds(), revoked.revoke_time().seconds());
  // A revoked key stays revoked; its slot is free for a new one.
  v1::DeviceKey back;
  EXPECT_EQ(Register(phone.access_token(), first.public_key, "找回的", &back).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_EQ(Register(phone.access_token(), NewPhoneKey().public_key, "新手机", &back).error_code(),
            kOk);
  // The branch's admin revokes for a member who lost the phone.
  v1::DeviceKey by_admin;
  ASSERT_EQ(Revoke(server_->Token(Role::kOrgAdmin, 1, branch.id()), back.key_id(), &by_admin)
                .error_code(),
            kOk);
  EXPECT_TRUE(by_admin.has_revoke_time());

  v1::ListDeviceKeysResponse listed;
  ASSERT_EQ(server_->identity()
                .ListDeviceKeys(server_->Context(phone.access_token()).get(),
                                v1::ListDeviceKeysRequest(), &listed)
                .error_code(),
            kOk);
  ASSERT_EQ(listed.keys_size(), 6);
  EXPECT_EQ(listed.keys(0).key_id(), registered.key_id());
  EXPECT_TRUE(listed.keys(0).has_revoke_time());
  int live = 0;
  for (const v1::DeviceKey& key : listed.keys()) live += key.has_revoke_time() ? 0 : 1;
  EXPECT_EQ(live, 4);
  v1::ListDeviceKeysRequest theirs;
  theirs.set_member_id(member.id());
  EXPECT_EQ(
      server_->identity()
          .ListDeviceKeys(server_->Context(colleague_phone.access_token()).get(), theirs, &listed)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  (void)colleague;
}

TEST_F(OfflineIdentityTest, AKeyThatIsNoCurvePointOrOfTheWrongSizeIsRefusedByName) {
  helpers().ActivatedMember("OI4-001", kPassword);
  v1::Session phone;
  ASSERT_EQ(helpers().SignIn("OI4-001", kPassword, &phone).error_code(), kOk);
  v1::DeviceKey key;
  const grpc::Status short_key = Register(phone.access_token(), "short", "手机", &key);
  EXPECT_EQ(short_key.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(short_key.error_message().find("public_key"), std::string::npos);
  // 32 bytes, but the all-zero point has small order: it would verify forged signatures.
  const grpc::Status zero = Register(phone.access_token(), std::string(32, '\0'), "手机", &key);
  EXPECT_EQ(zero.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(zero.error_message().find("public_key"), std::string::npos);
  const grpc::Status unnamed = Register(phone.access_token(), NewPhoneKey().public_key, "", &key);
  EXPECT_EQ(unnamed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(unnamed.error_message().find("name"), std::string::npos);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM member_device_key"),
            server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_device_key k JOIN member m ON m.id = k.member_id"
                " WHERE m.member_number <> 'OI4-001'"));
}

}  // namespace
}  // namespace lms::identity
