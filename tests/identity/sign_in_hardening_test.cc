// Sign-in under attack: bursts of guesses against one account, a flood of sign-ins
// against the hash admission, activation that costs the same whatever the answer, and
// kiosks confined to the subtrees they serve with escalating device locks and no
// guessable PINs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/log/log.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/identity/hash_admission.h"
#include "services/identity/sign_in_throttle.h"
#include "tests/testing/identity_helpers.h"
#include "tests/testing/test_server.h"

ABSL_DECLARE_FLAG(int, max_concurrent_hashes);
ABSL_DECLARE_FLAG(int, max_waiting_hashes);
ABSL_DECLARE_FLAG(absl::Duration, hash_admission_wait);

namespace lms::identity {
namespace {

using auth::Role;

constexpr grpc::StatusCode kOk = grpc::StatusCode::OK;
constexpr char kPassword[] = "正确的密码 correct horse 🐎";
constexpr char kWrong[] = "wrong password, quite long";

// Runs `calls` at once (all released together) and returns their codes in order.
std::vector<grpc::StatusCode> AllAtOnce(const std::vector<std::function<grpc::Status()>>& calls) {
  std::vector<grpc::StatusCode> codes(calls.size(), kOk);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < calls.size(); ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      codes[i] = calls[i]().error_code();
    });
  }
  while (ready.load() < static_cast<int>(calls.size())) std::this_thread::yield();
  go = true;
  for (std::thread& thread : threads) thread.join();
  return codes;
}

int Count(const std::vector<grpc::StatusCode>& codes, grpc::StatusCode code) {
  return static_cast<int>(std::count(codes.begin(), codes.end(), code));
}

// A server whose hash admission lets every attempt through: what limits the burst below is
// the throttle alone.
class ConcurrentAttemptsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::SetFlag(&FLAGS_max_concurrent_hashes, 80);
    absl::SetFlag(&FLAGS_max_waiting_hashes, 80);
    absl::SetFlag(&FLAGS_hash_admission_wait, absl::Seconds(30));
    server_ = new testing::TestServer("sign_in_burst");
    root_ = new v1::Organization(server_->CreateRootOrganization());
    absl::SetFlag(&FLAGS_max_concurrent_hashes, 0);
    absl::SetFlag(&FLAGS_max_waiting_hashes, 0);
    absl::SetFlag(&FLAGS_hash_admission_wait, absl::Milliseconds(50));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete root_;
  }
  static testing::IdentityHelpers helpers() { return testing::IdentityHelpers(*server_, *root_); }
  static int64_t Hashes() { return server_->runtime().counters().Value("password_hashes"); }

  static testing::TestServer* server_;
  static v1::Organization* root_;
};

testing::TestServer* ConcurrentAttemptsTest::server_ = nullptr;
v1::Organization* ConcurrentAttemptsTest::root_ = nullptr;

TEST_F(ConcurrentAttemptsTest, ABurstOfWrongPasswordsHashesOnlyTheFreeAttemptsAndLocks) {
  const v1::Member member = helpers().ActivatedMember("B1-001", kPassword);
  std::vector<std::function<grpc::Status()>> calls(64, [] {
    v1::Session session;
    return helpers().SignIn("B1-001", kWrong, &session);
  });
  const int64_t hashes_before = Hashes();
  std::vector<grpc::StatusCode> codes;
  std::thread burst([&] { codes = AllAtOnce(calls); });
  // The right password, as soon as the burst has used up the free attempts: however
  // early, it is refused (a right guess reserved before the lock and finishing after it
  // would be refused too, with a wrong guess's answer: sign_in_throttle_test).
  const std::string key = absl::StrCat("m:", member.id());
  while (server_->database().QueryInt(
             "SELECT COALESCE(MAX(failures), 0) FROM sign_in_throttle WHERE throttle_key = ?",
             {key}) < kPasswordThrottle.free_attempts) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  v1::Session session;
  const grpc::Status right = helpers().SignIn("B1-001", kPassword, &session);
  EXPECT_NE(right.error_code(), kOk) << "a right password inside a burst of guesses got in";
  burst.join();
  EXPECT_LE(Hashes() - hashes_before, kPasswordThrottle.free_attempts);
  EXPECT_LE(Count(codes, grpc::StatusCode::UNAUTHENTICATED), kPasswordThrottle.free_attempts);
  EXPECT_EQ(Count(codes, grpc::StatusCode::RESOURCE_EXHAUSTED) +
                Count(codes, grpc::StatusCode::UNAUTHENTICATED),
            64)
      << "every attempt is either refused or answered as wrong";
  // Locked: even the right password waits, without a hash.
  const int64_t hashes_locked = Hashes();
  EXPECT_EQ(helpers().SignIn("B1-001", kPassword, &session).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Hashes(), hashes_locked);
  // After the lock, the right password works again.
  server_->clock().Advance(absl::Seconds(3));
  EXPECT_EQ(helpers().SignIn("B1-001", kPassword, &session).error_code(), kOk);
}

TEST_F(ConcurrentAttemptsTest, ABurstAgainstAnUnknownLoginIsLimitedAlike) {
  std::vector<std::function<grpc::Status()>> calls(64, [] {
    v1::Session session;
    return helpers().SignIn("B2-NOBODY", kWrong, &session);
  });
  const int64_t hashes_before = Hashes();
  const std::vector<grpc::StatusCode> codes = AllAtOnce(calls);
  EXPECT_LE(Hashes() - hashes_before, kPasswordThrottle.free_attempts);
  EXPECT_EQ(Count(codes, grpc::StatusCode::UNAUTHENTICATED), kPasswordThrottle.free_attempts);
}

TEST_F(ConcurrentAttemptsTest, ABurstOfWrongPinsHashesOnlyTheFreeAttempts) {
  const v1::Member member = helpers().ActivatedMember("B3-001", kPassword);
  v1::Session phone;
  ASSERT_EQ(helpers().SignIn("B3-001", kPassword, &phone).error_code(), kOk);
  ASSERT_EQ(helpers().SetPin(phone.access_token(), "739164").error_code(), kOk);
  v1::KioskRegistration registration;
  const v1::Session kiosk = helpers().KioskSession(root_->id(), &registration);
  std::vector<std::function<grpc::Status()>> calls(
      32, [&] { return helpers().KioskMemberSignIn(kiosk, "B3-001", "000111"); });
  const int64_t hashes_before = Hashes();
  AllAtOnce(calls);
  EXPECT_LE(Hashes() - hashes_before, kPinThrottle.free_attempts);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "B3-001", "739164").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GT(member.id(), 0);
}

// A server with one hash slot and one waiter: the flood is turned away at the door.
class HashAdmissionFloodTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::SetFlag(&FLAGS_max_concurrent_hashes, 1);
    absl::SetFlag(&FLAGS_max_waiting_hashes, 1);
    server_ = new testing::TestServer("sign_in_flood");
    root_ = new v1::Organization(server_->CreateRootOrganization());
    absl::SetFlag(&FLAGS_max_concurrent_hashes, 0);
    absl::SetFlag(&FLAGS_max_waiting_hashes, 0);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete root_;
  }

  static testing::TestServer* server_;
  static v1::Organization* root_;
};

testing::TestServer* HashAdmissionFloodTest::server_ = nullptr;
v1::Organization* HashAdmissionFloodTest::root_ = nullptr;

TEST_F(HashAdmissionFloodTest, AFloodIsRefusedAtTheDoorAndOtherCallsCarryOn) {
  const testing::IdentityHelpers helpers(*server_, *root_);
  const std::string admin = helpers.Admin();
  std::vector<std::function<grpc::Status()>> calls;
  absl::Mutex mu;
  std::string refusal;
  for (int i = 0; i < 24; ++i) {
    // Distinct unknown logins: no throttle stands in the way, only admission.
    calls.push_back([&helpers, &mu, &refusal, i] {
      v1::Session session;
      const grpc::Status status = helpers.SignIn(absl::StrCat("F-NOBODY-", i), kWrong, &session);
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        absl::MutexLock lock(&mu);
        refusal = status.error_message();
      }
      return status;
    });
  }
  std::atomic<int> listed{0};
  for (int i = 0; i < 8; ++i) {
    calls.push_back([&] {
      v1::ListMembersRequest request;
      request.set_organization_id(root_->id());
      v1::ListMembersResponse response;
      const grpc::Status status =
          server_->organizations().ListMembers(server_->Context(admin).get(), request, &response);
      if (status.ok()) ++listed;
      return status;
    });
  }
  const int64_t hashes_before = server_->runtime().counters().Value("password_hashes");
  const std::vector<grpc::StatusCode> codes = AllAtOnce(calls);
  const std::vector<grpc::StatusCode> sign_ins(codes.begin(), codes.begin() + 24);
  const int refused = Count(sign_ins, grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GT(refused, 0);
  // Told what is busy, whether the pool's queue or the admission turned it away.
  EXPECT_EQ(refusal, kSignInBusy);
  EXPECT_EQ(refused + Count(sign_ins, grpc::StatusCode::UNAUTHENTICATED), 24);
  // Every attempt let in cost one hash (a decoy); the refused ones cost none.
  EXPECT_EQ(server_->runtime().counters().Value("password_hashes") - hashes_before, 24 - refused);
  EXPECT_EQ(listed.load(), 8);
}

TEST(HashAdmissionTest, BeyondTheSlotsAndWaitersAnAttemptIsRefused) {
  std::atomic<int64_t> refused{0};
  HashAdmission admission(HashAdmissionLimits{1, 1, absl::Milliseconds(20)}, refused);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  // One hashing and one under way beside it.
  absl::StatusOr<HashPermit> first = admission.Admit(deadline);
  const absl::StatusOr<HashPermit> second = admission.Admit(deadline);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  // No room: a third gives up after the short wait, not at its deadline.
  const absl::StatusOr<HashPermit> waited = admission.Admit(deadline);
  EXPECT_EQ(waited.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.load(), 1);
  // A released permit makes room for the next attempt.
  first->Release();
  EXPECT_TRUE(admission.Admit(deadline).ok());
}

TEST(HashAdmissionTest, OnlyTheSlotsHashAtOnce) {
  std::atomic<int64_t> refused{0};
  HashAdmission admission(HashAdmissionLimits{1, 3, absl::Seconds(1)}, refused);
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      const absl::StatusOr<HashPermit> permit = admission.Admit(absl::Now() + absl::Seconds(10));
      ASSERT_TRUE(permit.ok());
      permit->OnSlot([&] {
        most = std::max(most.load(), ++running);
        absl::SleepFor(absl::Milliseconds(20));
        --running;
        return 0;
      });
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(most.load(), 1);
}

TEST(HashAdmissionTest, TheDefaultLeavesACoreToEverythingElse) {
  std::atomic<int64_t> refused{0};
  const HashAdmission admission(HashAdmissionLimits{}, refused);
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(admission.slots(), std::max(1, cores - 1));
  EXPECT_EQ(admission.max_waiting(), 3 * admission.slots());
}

class ActivationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("activation_oracle");
    root_ = new v1::Organization(server_->CreateRootOrganization());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete root_;
  }
  static testing::IdentityHelpers helpers() { return testing::IdentityHelpers(*server_, *root_); }
  static int64_t Hashes() { return server_->runtime().counters().Value("password_hashes"); }
  // The status of an activation and how many hashes it cost.
  static std::pair<grpc::StatusCode, int64_t> Costed(const std::string& login,
                                                     const std::string& code,
                                                     const std::string& password) {
    const int64_t before = Hashes();
    v1::Session session;
    const grpc::StatusCode code_result =
        helpers().Activate(login, code, password, &session).error_code();
    return {code_result, Hashes() - before};
  }

  static testing::TestServer* server_;
  static v1::Organization* root_;
};

testing::TestServer* ActivationTest::server_ = nullptr;
v1::Organization* ActivationTest::root_ = nullptr;

TEST_F(ActivationTest, EveryOutcomeCostsOneHash) {
  const v1::Member fresh = helpers().CreateMember("A1-001", "13800000101");
  const std::string code = helpers().IssueCode(fresh.id());
  helpers().ActivatedMember("A1-002", kPassword, "13800000102");
  const auto unauthenticated = std::make_pair(grpc::StatusCode::UNAUTHENTICATED, int64_t{1});
  EXPECT_EQ(Costed("A1-NOBODY", code, kPassword), unauthenticated);
  EXPECT_EQ(Costed("13800000199", code, kPassword), unauthenticated);
  EXPECT_EQ(Costed("A1-002", "WRONG-CODE-0000", kPassword), unauthenticated);
  EXPECT_EQ(Costed("13800000102", code, kPassword), unauthenticated);
  EXPECT_EQ(Costed("A1-001", code, kPassword), std::make_pair(kOk, int64_t{1}));
  // The retry of that activation, its answer lost: signed in, for one hash too.
  EXPECT_EQ(Costed("A1-001", code, kPassword), std::make_pair(kOk, int64_t{1}));
}

TEST_F(ActivationTest, TheRetryPathTakesOnlyTheCodeThisMemberUsed) {
  const v1::Member member = helpers().ActivatedMember("A2-001", kPassword);
  const v1::Member other = helpers().CreateMember("A2-002");
  const std::string others_code = helpers().IssueCode(other.id());
  v1::Session session;
  // Knowing the password is not enough: any code string, or another member's code, fails.
  EXPECT_EQ(helpers().Activate("A2-001", "ANY-CODE-AT-ALL", kPassword, &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(helpers().Activate("A2-001", others_code, kPassword, &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The member's own used code, once the password has changed since, fails too.
  const v1::Member third = helpers().CreateMember("A2-003");
  const std::string third_code = helpers().IssueCode(third.id());
  ASSERT_EQ(helpers().Activate("A2-003", third_code, kPassword, &session).error_code(), kOk);
  EXPECT_EQ(helpers().Activate("A2-003", third_code, kPassword, &session).error_code(), kOk);
  v1::ChangePasswordRequest change;
  change.set_current_password(kPassword);
  change.set_new_password("a different password, also long");
  v1::ChangePasswordResponse changed;
  ASSERT_EQ(server_->identity()
                .ChangePassword(server_->Context(session.access_token()).get(), change, &changed)
                .error_code(),
            kOk);
  EXPECT_EQ(helpers()
                .Activate("A2-003", third_code, "a different password, also long", &session)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_GT(member.id(), 0);
}

class KioskConfinementTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("kiosk_confinement");
    root_ = new v1::Organization(server_->CreateRootOrganization());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete root_;
  }
  static testing::IdentityHelpers helpers() { return testing::IdentityHelpers(*server_, *root_); }
  // A member of `organization_id` with `pin` set on the phone.
  static v1::Member WithPin(const std::string& number, const std::string& pin,
                            int64_t organization_id = 0) {
    const v1::Member member = helpers().ActivatedMember(number, kPassword, "", organization_id);
    v1::Session phone;
    EXPECT_EQ(helpers().SignIn(number, kPassword, &phone).error_code(), kOk);
    EXPECT_EQ(helpers().SetPin(phone.access_token(), pin).error_code(), kOk);
    return member;
  }
  static grpc::Status ChangeServed(const std::string& token, int64_t kiosk_id,
                                   int64_t organization_id, bool serve, v1::KioskDetails* details) {
    v1::ChangeKioskServedOrganizationRequest request;
    request.set_kiosk_id(kiosk_id);
    request.set_organization_id(organization_id);
    auto context = server_->Context(token);
    return serve
               ? server_->identity().AddKioskServedOrganization(context.get(), request, details)
               : server_->identity().RemoveKioskServedOrganization(context.get(), request, details);
  }

  static testing::TestServer* server_;
  static v1::Organization* root_;
};

testing::TestServer* KioskConfinementTest::server_ = nullptr;
v1::Organization* KioskConfinementTest::root_ = nullptr;

TEST_F(KioskConfinementTest, AKioskSignsInOnlyTheSubtreesItServes) {
  const v1::Organization general = helpers().CreateBranch("K1-G");
  const v1::Organization a = helpers().CreateBranch("K1-A", general.id());
  const v1::Organization b = helpers().CreateBranch("K1-B", general.id());
  const v1::Organization elsewhere = helpers().CreateBranch("K1-X");
  WithPin("K1-001", "739164", a.id());
  WithPin("K1-002", "739164", b.id());
  WithPin("K1-003", "739164", elsewhere.id());
  v1::KioskRegistration registration;
  const v1::Session kiosk = helpers().KioskSession(a.id(), &registration);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K1-001", "739164").error_code(), kOk);
  // Another branch's member gets the answer an unknown number gets.
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K1-002", "739164").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The general branch's admin widens it to branch B (inside its subtree), not further.
  const std::string general_admin = server_->Token(Role::kOrgAdmin, 1, general.id());
  const std::string a_admin = server_->Token(Role::kOrgAdmin, 1, a.id());
  v1::KioskDetails details;
  EXPECT_EQ(ChangeServed(a_admin, registration.kiosk_id(), b.id(), true, &details).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ChangeServed(general_admin, registration.kiosk_id(), elsewhere.id(), true, &details)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(
      ChangeServed(general_admin, registration.kiosk_id(), b.id(), true, &details).error_code(),
      kOk);
  EXPECT_THAT(details.served_organization_ids(), ::testing::ElementsAre(b.id()));
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K1-002", "739164").error_code(), kOk);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K1-003", "739164").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Narrowed again.
  ASSERT_EQ(
      ChangeServed(general_admin, registration.kiosk_id(), b.id(), false, &details).error_code(),
      kOk);
  EXPECT_TRUE(details.served_organization_ids().empty());
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K1-002", "739164").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(KioskConfinementTest, RepeatedDeviceLocksLastTwelveHoursOrUntilAnAdminUnlocks) {
  WithPin("K2-001", "739164");
  v1::KioskRegistration registration;
  helpers().KioskSession(root_->id(), &registration);
  // The kiosk signs in again for every call: the test moves the clock by hours.
  const auto identify = [&](const std::string& number) {
    v1::KioskSignInRequest sign_in;
    sign_in.set_device_credential(registration.device_credential());
    v1::Session kiosk;
    EXPECT_EQ(
        server_->identity().KioskSignIn(server_->Context("").get(), sign_in, &kiosk).error_code(),
        kOk);
    return helpers().KioskMemberSignIn(kiosk, number, "739164").error_code();
  };
  const auto lock_device = [&](int window) {
    for (int i = 0; i < kDeviceFreeAttempts; ++i) {
      EXPECT_EQ(identify(absl::StrCat("K2-GUESS-", window, "-", i)),
                grpc::StatusCode::UNAUTHENTICATED)
          << "window " << window << " attempt " << i;
    }
    EXPECT_EQ(identify("K2-001"), grpc::StatusCode::RESOURCE_EXHAUSTED) << "window " << window;
  };
  lock_device(1);
  server_->clock().Advance(kDeviceWindow);
  EXPECT_EQ(identify("K2-001"), kOk);
  lock_device(2);
  server_->clock().Advance(kDeviceWindow);
  lock_device(3);
  // The third lock in a day holds past its window.
  server_->clock().Advance(absl::Hours(11));
  EXPECT_EQ(identify("K2-001"), grpc::StatusCode::RESOURCE_EXHAUSTED);
  v1::GetKioskRequest get;
  get.set_kiosk_id(registration.kiosk_id());
  v1::KioskDetails details;
  ASSERT_EQ(server_->identity()
                .GetKiosk(server_->Context(helpers().Admin()).get(), get, &details)
                .error_code(),
            kOk);
  EXPECT_TRUE(details.has_member_sign_in_locked_until());
  // An admin of another branch cannot lift it; the kiosk's admin can.
  const v1::Organization other = helpers().CreateBranch("K2-X");
  v1::UnlockKioskRequest unlock;
  unlock.set_kiosk_id(registration.kiosk_id());
  EXPECT_EQ(server_->identity()
                .UnlockKiosk(server_->Context(server_->Token(Role::kOrgAdmin, 1, other.id())).get(),
                             unlock, &details)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(server_->identity()
                .UnlockKiosk(server_->Context(helpers().Admin()).get(), unlock, &details)
                .error_code(),
            kOk);
  EXPECT_FALSE(details.has_member_sign_in_locked_until());
  EXPECT_EQ(identify("K2-001"), kOk);
}

TEST_F(KioskConfinementTest, WrongPinsGoToTheAuditTrailWithoutThePin) {
  const v1::Member member = WithPin("K3-001", "739164");
  v1::KioskRegistration registration;
  const v1::Session kiosk = helpers().KioskSession(root_->id(), &registration);
  log::Init("info");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K3-001", "864213").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(logged.find("event=kiosk_pin_failed"), std::string::npos) << logged;
  EXPECT_NE(logged.find(absl::StrCat("kiosk=", registration.kiosk_id())), std::string::npos);
  EXPECT_NE(logged.find(absl::StrCat("member=", member.id())), std::string::npos);
  EXPECT_EQ(logged.find("864213"), std::string::npos);
}

TEST_F(KioskConfinementTest, GuessablePinsAreRefused) {
  helpers().ActivatedMember("K4-00417", kPassword, "13912345678");
  v1::Session phone;
  ASSERT_EQ(helpers().SignIn("K4-00417", kPassword, &phone).error_code(), kOk);
  for (const std::string pin : {"0000", "1111", "1234", "4321", "123456", "654321", "7890",
                                "121212", "520520", "2580", "5201314", "5678", "00417"}) {
    EXPECT_EQ(helpers().SetPin(phone.access_token(), pin).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << pin;
  }
  EXPECT_EQ(helpers().SetPin(phone.access_token(), "739164").error_code(), kOk);

  // The birth year, once the roster knows it.
  v1::CreateMemberRequest request;
  request.mutable_member()->set_name("党员K4-B");
  request.mutable_member()->set_member_number("K4-B");
  request.mutable_member()->set_organization_id(root_->id());
  request.mutable_member()->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
  request.mutable_member()->mutable_birth_date()->set_year(1975);
  request.mutable_member()->mutable_birth_date()->set_month(6);
  request.mutable_member()->mutable_birth_date()->set_day(1);
  v1::Member born;
  ASSERT_EQ(server_->organizations()
                .CreateMember(server_->Context(helpers().Admin()).get(), request, &born)
                .error_code(),
            kOk);
  EXPECT_EQ(born.birth_date().year(), 1975);
  v1::Session session;
  ASSERT_EQ(
      helpers().Activate("K4-B", helpers().IssueCode(born.id()), kPassword, &session).error_code(),
      kOk);
  for (const std::string pin : {"1975", "197506", "06011975"}) {
    EXPECT_EQ(helpers().SetPin(session.access_token(), pin).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << pin;
  }
  EXPECT_EQ(helpers().SetPin(session.access_token(), "739164").error_code(), kOk);
}

TEST_F(KioskConfinementTest, AGuessableStoredPinMustBeChangedAtItsNextUse) {
  const v1::Member member = WithPin("K5-001", "739164");
  // A PIN set before the rules (a legacy import, say).
  char hash[crypto_pwhash_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_str(hash, "1234", 4, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN),
      0);
  server_->database().Execute(absl::StrCat("UPDATE member_credential SET pin_hash = '", hash,
                                           "' WHERE member_id = ", member.id()));
  v1::KioskRegistration registration;
  const v1::Session kiosk = helpers().KioskSession(root_->id(), &registration);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "1234").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "1234", "1111").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Proving the old PIN wrong gets no help choosing a new one.
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "9999", "739164").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::Session session;
  ASSERT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "1234", "739164", &session).error_code(),
            kOk);
  EXPECT_EQ(session.caller().member_id(), member.id());
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "1234").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(helpers().KioskMemberSignIn(kiosk, "K5-001", "739164").error_code(), kOk);
}

}  // namespace
}  // namespace lms::identity
