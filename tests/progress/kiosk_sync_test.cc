// Kiosk uploads (SyncKioskProgress) through a real gRPC channel against a real database:
// each threat of the offline trust model (README "Offline study: the trust model") is
// refused or held pending, honest evidence counts, and retries answer as the first time.

#include <gtest/gtest.h>
#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "common/auth/kiosk_ticket.h"
#include "common/auth/phone_identification.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::progress {
namespace {

using auth::Role;

constexpr int64_t kBranchA = 2;
constexpr int64_t kBranchB = 3;
// Kiosk 100 stands in branch A, kiosk 200 in branch B.
constexpr int64_t kKioskA = 100;
constexpr int64_t kKioskB = 200;
// Course 1101: one 600-second video (lesson 11011), 2 hours.
constexpr int64_t kVideo = 11011;

struct PhoneKey {
  std::string public_key;
  std::string secret_key;
};

class KioskSyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("kiosk_sync");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    testing::SeedPublishedCourse(db, 1101, "党章视频课", 200);
    db.Execute(
        "INSERT INTO lesson (id, course_id, position, removed, title, kind, duration_seconds,"
        " page_count, body, body_length) VALUES (11011, 1101, 1, 0, '视频', 2, 600, 0, '', 0)");
    db.Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '一车间党员活动室', REPEAT('a', 64), NOW()),"
        " (200, 3, '二车间党员活动室', REPEAT('b', 64), NOW())");
  }
  static void TearDownTestSuite() { delete server_; }

  static int64_t NewMember(int64_t organization = kBranchA) {
    const int64_t id = 100 + ++serial_;
    server_->database().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '倒班工人', 'K", id, "', ", organization, ", 2, 1, 1, NOW(), NOW())"));
    return id;
  }
  static std::string KioskToken(int64_t kiosk) {
    auth::Caller caller;
    caller.role = Role::kKiosk;
    caller.kiosk_id = kiosk;
    caller.organization_id = kiosk == kKioskA ? kBranchA : kBranchB;
    return server_->TokenFor(caller);
  }
  // A ticket as KioskMemberSignIn hands out, signed with `secret_key` (the server's
  // unless told).
  static std::string Ticket(int64_t member, int64_t kiosk, absl::Time issued,
                            absl::Duration window = absl::Hours(12), std::string secret_key = "") {
    auth::KioskTicket ticket;
    ticket.ticket_id = absl::StrCat("t", ++serial_);
    ticket.member_id = member;
    ticket.kiosk_id = kiosk;
    ticket.issued = issued;
    ticket.expires = issued + window;
    return auth::SealKioskTicket(
        ticket, secret_key.empty() ? server_->token_keys().secret_key : secret_key);
  }
  static PhoneKey NewPhoneKey() {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    return {std::string(reinterpret_cast<char*>(pk), sizeof(pk)),
            std::string(reinterpret_cast<char*>(sk), sizeof(sk))};
  }
  // Registers a phone key for `member` through the API; returns its id.
  static int64_t RegisterKey(int64_t member, const PhoneKey& key) {
    v1::RegisterDeviceKeyRequest request;
    request.set_public_key(key.public_key);
    request.set_name("手机");
    v1::DeviceKey registered;
    const grpc::Status status = server_->identity().RegisterDeviceKey(
        server_->Context(server_->Token(Role::kMember, member, kBranchA)).get(), request,
        &registered);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return registered.key_id();
  }
  static std::string Identification(int64_t member, int64_t kiosk, int64_t key_id,
                                    const PhoneKey& key, absl::Time issued,
                                    absl::Duration window = absl::Hours(8)) {
    auth::PhoneIdentification identification;
    identification.member_id = member;
    identification.kiosk_id = kiosk;
    identification.key_id = key_id;
    identification.issued = issued;
    identification.expires = issued + window;
    return auth::SealPhoneIdentification(identification, key.secret_key);
  }

  // One minute of the video ending at `end` (by the kiosk's clock, sent now by it).
  static v1::ProgressEvent Minute(const std::string& id, int minute, absl::Time end,
                                  absl::Duration kiosk_clock_offset = absl::ZeroDuration()) {
    v1::ProgressEvent event;
    event.set_event_id(id);
    event.set_lesson_id(kVideo);
    grpc_util::SetTimestamp(end + kiosk_clock_offset, event.mutable_occur_time());
    grpc_util::SetTimestamp(server_->clock().Now() + kiosk_clock_offset, event.mutable_sent_time());
    event.set_from_position(minute * 60);
    event.set_to_position((minute + 1) * 60);
    event.set_active_seconds(60);
    event.set_device_id(absl::StrCat("kiosk-", id.substr(0, id.find('-'))));
    event.set_sequence(++serial_);
    return event;
  }
  static v1::MemberUpload Upload(int64_t member, v1::OfflineEvidence evidence,
                                 const std::vector<v1::ProgressEvent>& events) {
    v1::MemberUpload upload;
    upload.set_member_id(member);
    *upload.mutable_evidence() = std::move(evidence);
    for (const v1::ProgressEvent& event : events) *upload.add_events() = event;
    return upload;
  }
  static v1::OfflineEvidence WithTicket(const std::string& ticket) {
    v1::OfflineEvidence evidence;
    evidence.set_kiosk_ticket(ticket);
    return evidence;
  }
  static v1::OfflineEvidence WithPhone(const std::string& identification) {
    v1::OfflineEvidence evidence;
    evidence.set_phone_identification(identification);
    return evidence;
  }
  static v1::OfflineEvidence WithClaim() {
    v1::OfflineEvidence evidence;
    evidence.mutable_kiosk_claim()->set_pin_checked(true);
    return evidence;
  }
  static grpc::Status Sync(int64_t kiosk, const std::vector<v1::MemberUpload>& uploads,
                           v1::SyncKioskProgressResponse* response) {
    v1::SyncKioskProgressRequest request;
    for (const v1::MemberUpload& upload : uploads) *request.add_uploads() = upload;
    return server_->progress().SyncKioskProgress(server_->Context(KioskToken(kiosk)).get(), request,
                                                 response);
  }
  // Syncs and expects OK; one result per upload.
  static v1::SyncKioskProgressResponse SyncOk(int64_t kiosk,
                                              const std::vector<v1::MemberUpload>& uploads) {
    v1::SyncKioskProgressResponse response;
    const grpc::Status status = Sync(kiosk, uploads, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.members_size(), static_cast<int>(uploads.size()));
    return response;
  }
  static int64_t CreditedSeconds(int64_t member) {
    return server_->database().QueryInt(
        "SELECT COALESCE(SUM(credited_ms), 0) DIV 1000 FROM lesson_progress WHERE member_id = ?",
        {member});
  }
  static int64_t Pending(int64_t member) {
    return server_->database().QueryInt(
        "SELECT COUNT(*) FROM pending_progress_event WHERE member_id = ? AND state = 1", {member});
  }
  static void ExpectAll(const v1::MemberSyncResult& result, v1::EventOutcome outcome,
                        v1::EventRejection rejection = v1::EVENT_REJECTION_UNSPECIFIED) {
    ASSERT_GT(result.results_size(), 0);
    for (const v1::EventResult& event : result.results()) {
      EXPECT_EQ(event.outcome(), outcome) << event.event_id() << " " << event.detail();
      EXPECT_EQ(event.rejection(), rejection) << event.event_id() << " " << event.detail();
    }
  }

  static std::string MemberToken(int64_t member) {
    return server_->Token(Role::kMember, member, kBranchA);
  }
  static v1::ListPendingProgressResponse ListPending(const std::string& token, int64_t member,
                                                     bool include_decided = false,
                                                     int page_size = 0,
                                                     const std::string& page_token = "") {
    v1::ListPendingProgressRequest request;
    request.set_member_id(member);
    request.set_include_decided(include_decided);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListPendingProgressResponse response;
    const grpc::Status status =
        server_->progress().ListPendingProgress(server_->Context(token).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static grpc::Status Decide(const std::string& token, int64_t member,
                             const std::vector<int64_t>& ids, bool confirm,
                             const std::string& reason,
                             v1::DecidePendingProgressResponse* response) {
    v1::DecidePendingProgressRequest request;
    request.set_member_id(member);
    for (const int64_t id : ids) request.add_pending_ids(id);
    request.set_confirm(confirm);
    request.set_reason(reason);
    return server_->progress().DecidePendingProgress(server_->Context(token).get(), request,
                                                     response);
  }

  static testing::TestServer* server_;
  static int serial_;
};

testing::TestServer* KioskSyncTest::server_ = nullptr;
int KioskSyncTest::serial_ = 0;

TEST_F(KioskSyncTest, EventsInsideATicketsWindowCountOnceHoweverOftenTheyAreSent) {
  const int64_t member = NewMember();
  const int64_t colleague = NewMember();
  const absl::Time now = server_->clock().Now();
  const std::string ticket = Ticket(member, kKioskA, now - absl::Hours(3));
  const std::vector<v1::ProgressEvent> events = {
      Minute("a-1", 0, now - absl::Hours(2)),
      Minute("a-2", 1, now - absl::Hours(2) + absl::Minutes(1))};
  const std::vector<v1::ProgressEvent> colleague_events = {Minute("b-1", 0, now - absl::Hours(1))};
  const std::vector<v1::MemberUpload> uploads = {
      Upload(member, WithTicket(ticket), events),
      Upload(colleague, WithTicket(Ticket(colleague, kKioskA, now - absl::Hours(1))),
             colleague_events)};

  const v1::SyncKioskProgressResponse first = SyncOk(kKioskA, uploads);
  ExpectAll(first.members(0), v1::EVENT_OUTCOME_ACCEPTED);
  ExpectAll(first.members(1), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(first.members(0).member_id(), member);
  ASSERT_EQ(first.members(0).lessons_size(), 1);
  EXPECT_EQ(first.members(0).lessons(0).credited_seconds(), 120);
  EXPECT_GT(first.members(0).checkpoint(), 0);
  EXPECT_EQ(CreditedSeconds(member), 120);
  EXPECT_EQ(CreditedSeconds(colleague), 60);
  // The evidence is kept with each event.
  EXPECT_EQ(
      server_->database().QueryInt(
          "SELECT COUNT(*) FROM progress_event p JOIN offline_evidence e"
          " ON e.id = p.evidence_id WHERE p.member_id = ? AND e.kind = 1 AND e.kiosk_id = 100",
          {member}),
      2);

  // The reply was lost; the kiosk sends it all again, and again a week later.
  for (const absl::Duration later : {absl::ZeroDuration(), absl::Hours(24 * 7)}) {
    server_->clock().Advance(later);
    const v1::SyncKioskProgressResponse again = SyncOk(kKioskA, uploads);
    ExpectAll(again.members(0), v1::EVENT_OUTCOME_DUPLICATE);
    ExpectAll(again.members(1), v1::EVENT_OUTCOME_DUPLICATE);
    EXPECT_EQ(again.members(0).checkpoint(), first.members(0).checkpoint());
  }
  EXPECT_EQ(CreditedSeconds(member), 120);
  EXPECT_EQ(CreditedSeconds(colleague), 60);
}

TEST_F(KioskSyncTest, AClaimOrEventsOutsideTheWindowWaitAndCountNowhere) {
  const int64_t member = NewMember();
  const absl::Time now = server_->clock().Now();
  // The ticket covers the last hour; one event lies three hours back.
  const std::string ticket = Ticket(member, kKioskA, now - absl::Hours(1), absl::Hours(1));
  const v1::SyncKioskProgressResponse synced = SyncOk(
      kKioskA,
      {Upload(member, WithTicket(ticket),
              {Minute("c-1", 0, now - absl::Minutes(30)), Minute("c-2", 1, now - absl::Hours(3))}),
       Upload(member, WithClaim(), {Minute("c-3", 2, now - absl::Hours(5))})});
  const v1::MemberSyncResult& ticketed = synced.members(0);
  EXPECT_EQ(ticketed.results(0).outcome(), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(ticketed.results(1).outcome(), v1::EVENT_OUTCOME_PENDING);
  EXPECT_EQ(ticketed.results(1).pending_reason(), v1::PENDING_REASON_OUTSIDE_EVIDENCE);
  EXPECT_GT(ticketed.results(1).pending_id(), 0);
  const v1::EventResult& claimed = synced.members(1).results(0);
  EXPECT_EQ(claimed.outcome(), v1::EVENT_OUTCOME_PENDING);
  EXPECT_EQ(claimed.pending_reason(), v1::PENDING_REASON_CLAIM_ONLY);
  EXPECT_EQ(CreditedSeconds(member), 60);
  EXPECT_EQ(Pending(member), 2);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ?",
                                         {member}),
            1);

  // Sent again: the same pending rows, nothing new.
  const v1::SyncKioskProgressResponse again =
      SyncOk(kKioskA, {Upload(member, WithClaim(), {Minute("c-3", 2, now - absl::Hours(5))})});
  EXPECT_EQ(again.members(0).results(0).outcome(), v1::EVENT_OUTCOME_PENDING);
  EXPECT_EQ(again.members(0).results(0).pending_id(), claimed.pending_id());
  EXPECT_EQ(Pending(member), 2);
  // An event recorded before comes back a duplicate even under weaker evidence.
  const v1::SyncKioskProgressResponse weaker =
      SyncOk(kKioskA, {Upload(member, WithClaim(), {Minute("c-1", 0, now - absl::Minutes(30))})});
  EXPECT_EQ(weaker.members(0).results(0).outcome(), v1::EVENT_OUTCOME_DUPLICATE);
  EXPECT_EQ(Pending(member), 2);
}

TEST_F(KioskSyncTest, ForgedForeignAndMisappliedTicketsAreRefused) {
  const int64_t member = NewMember();
  const int64_t colleague = NewMember();
  const absl::Time now = server_->clock().Now();
  const absl::Time start = now - absl::Hours(1);
  const auto one_minute = [&](const std::string& id) {
    return std::vector<v1::ProgressEvent>{Minute(id, 0, now - absl::Minutes(10))};
  };
  std::string altered = Ticket(member, kKioskA, start);
  altered[12] = altered[12] == 'A' ? 'B' : 'A';
  const PhoneKey stranger = NewPhoneKey();
  const v1::SyncKioskProgressResponse synced = SyncOk(
      kKioskA,
      {Upload(member, WithTicket(altered), one_minute("d-1")),
       Upload(member,
              WithTicket(Ticket(member, kKioskA, start, absl::Hours(12), stranger.secret_key)),
              one_minute("d-2")),
       Upload(member, WithTicket(Ticket(member, kKioskB, start)), one_minute("d-3")),
       Upload(colleague, WithTicket(Ticket(member, kKioskA, start)), one_minute("d-4")),
       Upload(member, WithTicket("not a ticket"), one_minute("d-5"))});
  ExpectAll(synced.members(0), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  ExpectAll(synced.members(1), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  ExpectAll(synced.members(2), v1::EVENT_OUTCOME_REJECTED,
            v1::EVENT_REJECTION_EVIDENCE_WRONG_KIOSK);
  ExpectAll(synced.members(3), v1::EVENT_OUTCOME_REJECTED,
            v1::EVENT_REJECTION_EVIDENCE_WRONG_MEMBER);
  ExpectAll(synced.members(4), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  EXPECT_EQ(CreditedSeconds(member) + CreditedSeconds(colleague), 0);
  EXPECT_EQ(Pending(member) + Pending(colleague), 0);
  EXPECT_EQ(
      server_->database().QueryInt(
          "SELECT COUNT(*) FROM offline_evidence WHERE member_id IN (?, ?)", {member, colleague}),
      0);
}

TEST_F(KioskSyncTest, APhoneIdentificationCountsUntilItsKeyIsRevoked) {
  const int64_t member = NewMember();
  const PhoneKey key = NewPhoneKey();
  const int64_t key_id = RegisterKey(member, key);
  const absl::Time now = server_->clock().Now();
  const std::string identification =
      Identification(member, kKioskA, key_id, key, now - absl::Hours(2));
  const v1::SyncKioskProgressResponse synced =
      SyncOk(kKioskA,
             {Upload(member, WithPhone(identification), {Minute("e-1", 0, now - absl::Hours(1))})});
  ExpectAll(synced.members(0), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(CreditedSeconds(member), 60);

  // Made for another kiosk, stretched past 12 hours, dated after the upload, or signed by
  // a key that is not the member's: refused.
  const PhoneKey other = NewPhoneKey();
  const int64_t other_member = NewMember();
  const int64_t other_key = RegisterKey(other_member, other);
  const v1::SyncKioskProgressResponse refused = SyncOk(
      kKioskA,
      {Upload(member, WithPhone(Identification(member, kKioskB, key_id, key, now - absl::Hours(2))),
              {Minute("e-2", 1, now - absl::Minutes(50))}),
       Upload(member,
              WithPhone(Identification(member, kKioskA, key_id, key, now - absl::Hours(2),
                                       absl::Hours(13))),
              {Minute("e-3", 1, now - absl::Minutes(50))}),
       Upload(member, WithPhone(Identification(member, kKioskA, key_id, key, now + absl::Hours(1))),
              {Minute("e-4", 1, now - absl::Minutes(50))}),
       Upload(member,
              WithPhone(Identification(member, kKioskA, other_key, other, now - absl::Hours(2))),
              {Minute("e-5", 1, now - absl::Minutes(50))}),
       Upload(other_member,
              WithPhone(Identification(member, kKioskA, key_id, key, now - absl::Hours(2))),
              {Minute("e-6", 1, now - absl::Minutes(50))})});
  ExpectAll(refused.members(0), v1::EVENT_OUTCOME_REJECTED,
            v1::EVENT_REJECTION_EVIDENCE_WRONG_KIOSK);
  ExpectAll(refused.members(1), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  ExpectAll(refused.members(2), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  ExpectAll(refused.members(3), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_EVIDENCE_INVALID);
  ExpectAll(refused.members(4), v1::EVENT_OUTCOME_REJECTED,
            v1::EVENT_REJECTION_EVIDENCE_WRONG_MEMBER);

  // The phone is lost: revoked, the same identification now waits for the member's word.
  v1::RevokeDeviceKeyRequest revoke;
  revoke.set_key_id(key_id);
  v1::DeviceKey revoked;
  ASSERT_TRUE(
      server_->identity()
          .RevokeDeviceKey(server_->Context(server_->Token(Role::kMember, member, kBranchA)).get(),
                           revoke, &revoked)
          .ok());
  const v1::SyncKioskProgressResponse after = SyncOk(
      kKioskA,
      {Upload(member, WithPhone(identification), {Minute("e-7", 2, now - absl::Minutes(30))})});
  EXPECT_EQ(after.members(0).results(0).outcome(), v1::EVENT_OUTCOME_PENDING);
  EXPECT_EQ(after.members(0).results(0).pending_reason(), v1::PENDING_REASON_KEY_REVOKED);
  EXPECT_EQ(CreditedSeconds(member), 60);
}

TEST_F(KioskSyncTest, AKioskUploadsOnlyForMembersItServes) {
  const int64_t in_a = NewMember(kBranchA);
  const int64_t in_b = NewMember(kBranchB);
  const absl::Time now = server_->clock().Now();
  const auto upload = [&](int64_t member, const std::string& id) {
    return Upload(member, WithTicket(Ticket(member, kKioskA, now - absl::Hours(1))),
                  {Minute(id, 0, now - absl::Minutes(20))});
  };
  v1::MemberUpload by_number = upload(in_a, "f-3");
  by_number.set_member_id(0);
  by_number.set_member_number(absl::StrCat("K", in_a));
  v1::MemberUpload unknown = upload(in_a, "f-4");
  unknown.set_member_id(0);
  unknown.set_member_number("NO-SUCH");
  const v1::SyncKioskProgressResponse synced =
      SyncOk(kKioskA, {upload(in_b, "f-1"), upload(in_a, "f-2"), by_number, unknown});
  ExpectAll(synced.members(0), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_MEMBER_NOT_SERVED);
  ExpectAll(synced.members(1), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(synced.members(2).member_id(), in_a);
  // Named by number: the same member, and the same minute of the same lesson counts once.
  ExpectAll(synced.members(2), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(synced.members(1).results(0).credited_seconds() +
                synced.members(2).results(0).credited_seconds(),
            60);
  EXPECT_EQ(CreditedSeconds(in_a), 60);
  ExpectAll(synced.members(3), v1::EVENT_OUTCOME_REJECTED, v1::EVENT_REJECTION_MEMBER_NOT_SERVED);
  EXPECT_EQ(CreditedSeconds(in_b), 0);

  // An admin gives the kiosk branch B to serve too.
  server_->database().Execute(
      "INSERT INTO kiosk_served_organization (kiosk_id, organization_id) VALUES (100, 3)");
  const v1::SyncKioskProgressResponse served = SyncOk(kKioskA, {upload(in_b, "f-5")});
  ExpectAll(served.members(0), v1::EVENT_OUTCOME_ACCEPTED);
  server_->database().Execute("DELETE FROM kiosk_served_organization WHERE kiosk_id = 100");
}

TEST_F(KioskSyncTest, AKioskClockOffByDaysIsCorrectedAndTheFutureRefused) {
  const int64_t member = NewMember();
  const absl::Time now = server_->clock().Now();
  const std::string ticket = Ticket(member, kKioskA, now - absl::Hours(2));
  // The kiosk's clock runs three days slow: by the sent time, its events happened within
  // the ticket's window.
  const v1::ProgressEvent slow = Minute("g-1", 0, now - absl::Minutes(40), -absl::Hours(72));
  // An event the kiosk dates an hour after it sent it.
  v1::ProgressEvent future = Minute("g-2", 1, now + absl::Hours(1));
  const v1::SyncKioskProgressResponse synced =
      SyncOk(kKioskA, {Upload(member, WithTicket(ticket), {slow, future})});
  EXPECT_EQ(synced.members(0).results(0).outcome(), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(synced.members(0).results(1).outcome(), v1::EVENT_OUTCOME_REJECTED);
  EXPECT_EQ(synced.members(0).results(1).rejection(), v1::EVENT_REJECTION_FUTURE);
  EXPECT_EQ(CreditedSeconds(member), 60);
}

TEST_F(KioskSyncTest, BadUploadsAreRefusedByFieldAndWriteNothing) {
  const int64_t member = NewMember();
  const absl::Time now = server_->clock().Now();
  v1::SyncKioskProgressResponse response;
  const auto expect_invalid = [&](const std::vector<v1::MemberUpload>& uploads,
                                  const std::string& field) {
    const grpc::Status status = Sync(kKioskA, uploads, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_NE(status.error_message().find(field), std::string::npos) << status.error_message();
  };
  expect_invalid({}, "uploads");
  expect_invalid({Upload(member, v1::OfflineEvidence(), {Minute("h-1", 0, now)})},
                 "uploads[0].evidence");
  expect_invalid(
      {Upload(member, WithClaim(), {Minute("h-2", 0, now)}), Upload(member, WithClaim(), {})},
      "uploads[1].events");
  v1::MemberUpload nobody = Upload(0, WithClaim(), {Minute("h-3", 0, now)});
  expect_invalid({nobody}, "uploads[0].member_id");
  std::vector<v1::ProgressEvent> too_many;
  for (int i = 0; i < 5001; ++i) too_many.push_back(Minute(absl::StrCat("h-x", i), 0, now));
  expect_invalid({Upload(member, WithClaim(), too_many)}, "uploads");
  EXPECT_EQ(Pending(member), 0);
  // Only a kiosk uploads: a member's own session may not.
  v1::SyncKioskProgressRequest request;
  *request.add_uploads() = Upload(member, WithClaim(), {Minute("h-4", 0, now)});
  EXPECT_EQ(server_->progress()
                .SyncKioskProgress(
                    server_->Context(server_->Token(Role::kMember, member, kBranchA)).get(),
                    request, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(KioskSyncTest, TheMemberConfirmsWhatWaitsAndItCountsOnce) {
  const int64_t member = NewMember();
  const absl::Time now = server_->clock().Now();
  const v1::SyncKioskProgressResponse synced = SyncOk(
      kKioskA,
      {Upload(member, WithClaim(),
              {Minute("i-1", 0, now - absl::Hours(3)), Minute("i-2", 1, now - absl::Hours(2)),
               Minute("i-3", 2, now - absl::Hours(1))})});
  std::vector<int64_t> ids;
  for (const v1::EventResult& result : synced.members(0).results())
    ids.push_back(result.pending_id());
  EXPECT_EQ(CreditedSeconds(member), 0);

  // "My learning" tells the member at sign-in; the list pages oldest first.
  v1::GetMyLearningRequest learning_request;
  v1::MyLearning learning;
  ASSERT_TRUE(
      server_->enrollment()
          .GetMyLearning(server_->Context(MemberToken(member)).get(), learning_request, &learning)
          .ok());
  EXPECT_EQ(learning.pending_progress_events(), 3);
  const v1::ListPendingProgressResponse first = ListPending(MemberToken(member), 0, false, 2);
  ASSERT_EQ(first.events_size(), 2);
  EXPECT_EQ(first.waiting(), 3);
  EXPECT_EQ(first.events(0).pending_id(), ids[0]);
  EXPECT_EQ(first.events(0).kiosk_id(), kKioskA);
  EXPECT_EQ(first.events(0).evidence_kind(), v1::EVIDENCE_KIND_KIOSK_CLAIM);
  EXPECT_EQ(first.events(0).reason(), v1::PENDING_REASON_CLAIM_ONLY);
  EXPECT_EQ(first.events(0).event().event_id(), "i-1");
  ASSERT_FALSE(first.next_page_token().empty());
  const v1::ListPendingProgressResponse second =
      ListPending(MemberToken(member), 0, false, 2, first.next_page_token());
  ASSERT_EQ(second.events_size(), 1);
  EXPECT_EQ(second.events(0).pending_id(), ids[2]);
  EXPECT_TRUE(second.next_page_token().empty());

  // One of them also reached the server from the member's phone meanwhile.
  v1::RecordProgressRequest phone;
  *phone.add_events() = Minute("i-3", 2, now - absl::Hours(1));
  v1::RecordProgressResponse recorded;
  ASSERT_TRUE(server_->progress()
                  .RecordProgress(server_->Context(MemberToken(member)).get(), phone, &recorded)
                  .ok());
  EXPECT_EQ(CreditedSeconds(member), 60);

  v1::DecidePendingProgressResponse confirmed;
  ASSERT_TRUE(Decide(MemberToken(member), 0, ids, true, "", &confirmed).ok());
  ASSERT_EQ(confirmed.events_size(), 3);
  EXPECT_EQ(confirmed.events(0).state(), v1::PENDING_STATE_CONFIRMED);
  EXPECT_EQ(confirmed.events(0).decided_by_member_id(), member);
  EXPECT_EQ(confirmed.events(0).result().outcome(), v1::EVENT_OUTCOME_ACCEPTED);
  EXPECT_EQ(confirmed.events(0).result().credited_seconds(), 60);
  EXPECT_EQ(confirmed.events(2).result().outcome(), v1::EVENT_OUTCOME_DUPLICATE);
  ASSERT_EQ(confirmed.lessons_size(), 1);
  EXPECT_EQ(CreditedSeconds(member), 180);
  EXPECT_EQ(
      server_->database().QueryInt(
          "SELECT COUNT(*) FROM progress_event WHERE member_id = ? AND evidence_id IS NOT NULL",
          {member}),
      2);

  // Confirming again changes nothing; rejecting now is too late.
  v1::DecidePendingProgressResponse again;
  ASSERT_TRUE(Decide(MemberToken(member), 0, {ids[0]}, true, "", &again).ok());
  EXPECT_EQ(again.events(0).decide_time().seconds(), confirmed.events(0).decide_time().seconds());
  EXPECT_EQ(Decide(MemberToken(member), 0, {ids[1]}, false, "", &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(CreditedSeconds(member), 180);
  EXPECT_EQ(ListPending(MemberToken(member), 0).waiting(), 0);
  EXPECT_EQ(ListPending(MemberToken(member), 0, true).events_size(), 3);
  // Sent by the kiosk once more: duplicates, nothing waits again.
  const v1::SyncKioskProgressResponse resent =
      SyncOk(kKioskA, {Upload(member, WithClaim(), {Minute("i-1", 0, now - absl::Hours(3))})});
  EXPECT_EQ(resent.members(0).results(0).outcome(), v1::EVENT_OUTCOME_DUPLICATE);
  EXPECT_EQ(Pending(member), 0);
}

TEST_F(KioskSyncTest, AnAdminOfTheMembersSubtreeDecidesWithAReason) {
  const int64_t member = NewMember();
  const int64_t colleague = NewMember();
  const absl::Time now = server_->clock().Now();
  const v1::SyncKioskProgressResponse synced =
      SyncOk(kKioskA, {Upload(member, WithClaim(), {Minute("j-1", 0, now - absl::Hours(1))}),
                       Upload(colleague, WithClaim(), {Minute("j-2", 0, now - absl::Hours(1))})});
  const int64_t id = synced.members(0).results(0).pending_id();
  const int64_t colleague_id = synced.members(1).results(0).pending_id();
  const std::string admin_a = server_->Token(Role::kOrgAdmin, 1, kBranchA);
  const std::string admin_b = server_->Token(Role::kOrgAdmin, 1, kBranchB);
  v1::DecidePendingProgressResponse response;

  const grpc::Status unexplained = Decide(admin_a, member, {id}, false, "", &response);
  EXPECT_EQ(unexplained.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(unexplained.error_message().find("reason"), std::string::npos);
  EXPECT_EQ(Decide(admin_b, member, {id}, false, "不是本人", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Another member's pending event is not found under this member.
  EXPECT_EQ(Decide(admin_a, member, {colleague_id}, false, "不是本人", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Decide(MemberToken(colleague), member, {id}, true, "", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status none = Decide(admin_a, member, {}, false, "x", &response);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(none.error_message().find("pending_ids"), std::string::npos);
  EXPECT_EQ(Pending(member), 1);

  ASSERT_TRUE(Decide(admin_a, member, {id}, false, "当天该同志在外培训，不是本人", &response).ok());
  EXPECT_EQ(response.events(0).state(), v1::PENDING_STATE_REJECTED);
  EXPECT_EQ(response.events(0).decision_reason(), "当天该同志在外培训，不是本人");
  EXPECT_EQ(response.events(0).decided_by_member_id(), 1);
  EXPECT_EQ(CreditedSeconds(member), 0);
  EXPECT_EQ(Pending(member), 0);
  const v1::ListPendingProgressResponse listed = ListPending(admin_a, member, true);
  ASSERT_EQ(listed.events_size(), 1);
  EXPECT_EQ(listed.events(0).state(), v1::PENDING_STATE_REJECTED);
  EXPECT_EQ(Decide(MemberToken(member), 0, {id}, true, "", &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace lms::progress
