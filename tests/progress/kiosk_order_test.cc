// Exactly once through a kiosk: two members' honest streams (600 events each, across New
// Year's Eve in China), uploaded by a kiosk shuffled together, partly duplicated and cut
// into random calls, each member's events under the ticket of the shift they fall in (a
// ninth of them only claimed, so they wait and are confirmed at the end), over 200 seeds (50 in the
// sanitizer build), leave each member exactly the completions, ledger and summaries of the same
// events uploaded in order.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/auth/kiosk_ticket.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tests/testing/honest_stream.h"
#include "tests/testing/test_server.h"

namespace lms::progress {
namespace {

using auth::Role;

constexpr int kSeeds = testing::kOrderSeeds;
constexpr int kEvents = 600;
constexpr int64_t kBranchA = 2;
constexpr int64_t kKiosk = 100;
constexpr absl::Duration kShift = absl::Hours(12);

// One event of one member, as the kiosk buffered it.
struct Buffered {
  int64_t member = 0;
  const v1::ProgressEvent* event = nullptr;
};

class KioskOrderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("kiosk_order");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    testing::SeedStreamCourses(db);
    db.Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '一车间党员活动室', REPEAT('a', 64), NOW())");
  }
  static void TearDownTestSuite() { delete server_; }

  static int64_t NewMember() {
    const int64_t id = 1000 + ++serial_;
    server_->database().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '倒班学员', 'Q", id, "', 2, 2, 1, 1, NOW(), NOW())"));
    return id;
  }

  // The evidence a kiosk holds for an event: the ticket of the member's sign-in at the
  // start of the shift it falls in; every ninth event only claimed.
  static v1::OfflineEvidence EvidenceFor(int64_t member, const v1::ProgressEvent& event,
                                         int index) {
    v1::OfflineEvidence evidence;
    if (index % 9 == 0) {
      evidence.mutable_kiosk_claim();
      return evidence;
    }
    const absl::Time occur = grpc_util::TimeFromProto(event.occur_time());
    const absl::Time shift = absl::UnixEpoch() + absl::Floor(occur - absl::UnixEpoch(), kShift);
    // The kiosk keeps one ticket per sign-in: made once.
    static std::map<std::pair<int64_t, absl::Time>, std::string>* tickets =
        new std::map<std::pair<int64_t, absl::Time>, std::string>();
    std::string& sealed = (*tickets)[{member, shift}];
    if (!sealed.empty()) {
      evidence.set_kiosk_ticket(sealed);
      return evidence;
    }
    auth::KioskTicket ticket;
    ticket.ticket_id = absl::StrCat("t", member, "-", absl::ToUnixSeconds(shift));
    ticket.member_id = member;
    ticket.kiosk_id = kKiosk;
    ticket.issued = shift;
    ticket.expires = shift + kShift;
    sealed = auth::SealKioskTicket(ticket, server_->token_keys().secret_key);
    evidence.set_kiosk_ticket(sealed);
    return evidence;
  }

  // Uploads `events` in one call: one upload per member and piece of evidence.
  static void Upload(const std::vector<Buffered>& events) {
    v1::SyncKioskProgressRequest request;
    std::map<std::pair<int64_t, std::string>, v1::MemberUpload*> uploads;
    for (const Buffered& buffered : events) {
      const int index = std::stoi(buffered.event->event_id().substr(1));
      v1::OfflineEvidence evidence = EvidenceFor(buffered.member, *buffered.event, index);
      const std::string key = evidence.SerializeAsString();
      v1::MemberUpload*& upload = uploads[{buffered.member, key}];
      if (upload == nullptr) {
        upload = request.add_uploads();
        upload->set_member_id(buffered.member);
        *upload->mutable_evidence() = std::move(evidence);
      }
      *upload->add_events() = *buffered.event;
    }
    auth::Caller kiosk;
    kiosk.role = Role::kKiosk;
    kiosk.kiosk_id = kKiosk;
    kiosk.organization_id = kBranchA;
    v1::SyncKioskProgressResponse response;
    const grpc::Status status = server_->progress().SyncKioskProgress(
        server_->Context(server_->TokenFor(kiosk)).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const v1::MemberSyncResult& member : response.members()) {
      for (const v1::EventResult& result : member.results()) {
        ASSERT_NE(result.outcome(), v1::EVENT_OUTCOME_REJECTED) << result.detail();
      }
    }
  }

  // The member confirms everything waiting, a page at a time.
  static void ConfirmAll(int64_t member) {
    const std::string token = server_->Token(Role::kMember, member, kBranchA);
    for (;;) {
      v1::ListPendingProgressRequest list;
      list.set_page_size(100);
      v1::ListPendingProgressResponse waiting;
      ASSERT_TRUE(server_->progress()
                      .ListPendingProgress(server_->Context(token).get(), list, &waiting)
                      .ok());
      if (waiting.events().empty()) return;
      v1::DecidePendingProgressRequest decide;
      for (const v1::PendingEvent& pending : waiting.events()) {
        decide.add_pending_ids(pending.pending_id());
      }
      decide.set_confirm(true);
      v1::DecidePendingProgressResponse decided;
      const grpc::Status status = server_->progress().DecidePendingProgress(
          server_->Context(token).get(), decide, &decided);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  static std::string Outcome(int64_t member) {
    return testing::ProgressOutcome(server_->database(), member);
  }

  static testing::TestServer* server_;
  static int serial_;
};
testing::TestServer* KioskOrderTest::server_ = nullptr;
int KioskOrderTest::serial_ = 0;

TEST_F(KioskOrderTest, ShuffledDuplicatedAndChunkedUploadsCountEachEventOnce) {
  const std::vector<v1::ProgressEvent> stream =
      testing::HonestStream(server_->clock().Now(), kEvents);
  const int64_t reference = NewMember();
  for (size_t begin = 0; begin < stream.size(); begin += 100) {
    std::vector<Buffered> chunk;
    for (size_t i = begin; i < std::min(stream.size(), begin + 100); ++i) {
      chunk.push_back({reference, &stream[i]});
    }
    Upload(chunk);
  }
  ASSERT_GT(server_->database().QueryInt(
                "SELECT COUNT(*) FROM pending_progress_event WHERE member_id = ?", {reference}),
            kEvents / 10);
  ConfirmAll(reference);
  const std::string expected = Outcome(reference);
  EXPECT_GE(
      server_->database().QueryInt(
          "SELECT COUNT(*) FROM course_progress WHERE member_id = ? AND state = 2", {reference}),
      1);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ?",
                                         {reference}),
            kEvents);

  for (int seed = 0; seed < kSeeds; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 random(seed);
    const int64_t first = NewMember();
    const int64_t second = NewMember();
    std::vector<Buffered> buffered;
    for (const int64_t member : {first, second}) {
      for (const v1::ProgressEvent& event : stream) buffered.push_back({member, &event});
      // A tenth again, as a kiosk re-sending after a lost answer would.
      for (int i = 0; i < kEvents / 10; ++i) {
        buffered.push_back({member, &stream[random() % stream.size()]});
      }
    }
    std::shuffle(buffered.begin(), buffered.end(), random);
    for (size_t begin = 0; begin < buffered.size();) {
      const size_t size = random() % 5 == 0 ? 1 + random() % 5 : 1 + random() % 400;
      const size_t end = std::min(buffered.size(), begin + size);
      Upload({buffered.begin() + static_cast<std::ptrdiff_t>(begin),
              buffered.begin() + static_cast<std::ptrdiff_t>(end)});
      begin = end;
    }
    ConfirmAll(first);
    ConfirmAll(second);
    ASSERT_EQ(Outcome(first), expected);
    ASSERT_EQ(Outcome(second), expected);
  }
}

}  // namespace
}  // namespace lms::progress
