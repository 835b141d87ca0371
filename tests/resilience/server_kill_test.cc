// kill -9 of the server (a process of its own) during 64-way progress reporting: every event
// whose OK a client saw is stored, none is counted twice (the summaries equal a recount),
// and clients that kept retrying the same event ids through the outage finish once the
// server is back. A kiosk client (tools/kiosk) that syncs while the server is down keeps
// trying by itself and lands its buffered study once it is up again.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/auth/access_token.h"
#include "common/grpc/proto_time.h"
#include "common/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tests/testing/honest_stream.h"
#include "tests/testing/test_database.h"

namespace lms {
namespace {

constexpr int kClients = 64;
constexpr int64_t kFirstMember = 500;
constexpr int64_t kVideo = 20011;  // 600 s, course 2001 (SeedStreamCourses)

class ServerKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::TestDatabase::Create("server_kill");
    testing::SeedRootAndTwoBranches(*db_);
    testing::SeedStreamCourses(*db_);
    // Seeded behind the catalogue's back: past its watermark, so the server loads them.
    db_->Execute("UPDATE catalogue_state SET generation = generation + 1");
    db_->Execute("UPDATE course SET change_seq = (SELECT generation FROM catalogue_state)");
    for (int i = 0; i < kClients; ++i) {
      db_->Execute(absl::StrCat(
          "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
          " version, create_time, update_time) VALUES (",
          kFirstMember + i, ", '夜班', 'SK", i, "', 2, 2, 1, 1, NOW(), NOW())"));
    }
    keys_ = auth::TokenKeys::Generate();
    dir_ = absl::StrCat(::testing::TempDir(), "/server_kill_", getpid());
    ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", dir_).c_str()), 0);
    ASSERT_TRUE(keys_.Save(dir_ + "/token.pub", dir_ + "/token.key").ok());
    port_ = 43000 + static_cast<int>(getpid() % 2000);
  }
  void TearDown() override {
    if (pid_ > 0) Kill();
  }

  void Start() {
    const db::DbConfig& config = db_->config();
    const std::string password_file = std::getenv("LMS_TEST_DB_PASSWORD_FILE");
    pid_ = fork();
    if (pid_ == 0) {
      const std::string listen = absl::StrCat("--listen=127.0.0.1:", port_);
      const std::string socket = absl::StrCat("--db_socket=", config.socket);
      const std::string user = absl::StrCat("--db_user=", config.user);
      const std::string name = absl::StrCat("--db_name=", config.database);
      const std::string password = absl::StrCat("--db_password_file=", password_file);
      const std::string pub = absl::StrCat("--token_public_key=", dir_, "/token.pub");
      const std::string key = absl::StrCat("--token_secret_key=", dir_, "/token.key");
      const std::string log = absl::StrCat(dir_, "/server.log");
      freopen(log.c_str(), "a", stderr);
      freopen(log.c_str(), "a", stdout);
      execl(LMS_SERVER_BINARY, LMS_SERVER_BINARY, listen.c_str(), socket.c_str(), user.c_str(),
            name.c_str(), password.c_str(), pub.c_str(), key.c_str(), "--allow_development_tokens",
            "--shutdown_grace=0s", static_cast<char*>(nullptr));
      _exit(127);
    }
    // Serving within 30 s.
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
    for (int i = 0; i < 300; ++i) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
      grpc::health::v1::HealthCheckResponse response;
      if (health->Check(&context, {}, &response).ok() &&
          response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the server did not start: see " << dir_ << "/server.log";
  }
  void Kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  auth::TokenKeys keys_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = 0;
};

TEST_F(ServerKillTest, EveryAcknowledgedEventSurvivesAndNoneCountsTwice) {
  Start();
  RealClock clock;
  const auth::AccessTokenSigner signer(keys_, clock);
  // A kiosk of branch A, and a member with a PIN who studies on it.
  db_->Execute(
      "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
      " (100, 2, '一车间党员活动室', SHA2('kc1_server-kill-kiosk', 256), NOW())");
  db_->Execute(
      "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
      " version, create_time, update_time) VALUES (700, '王师傅', 'SK-KIOSK', 2, 2, 1, 1, NOW(),"
      " NOW())");
  {
    auth::Caller member;
    member.role = auth::Role::kMember;
    member.member_id = 700;
    member.organization_id = 2;
    v1::SetKioskPinRequest pin;
    pin.set_pin("3691");
    v1::SetKioskPinResponse set;
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", signer.Sign(member, absl::Minutes(5))));
    ASSERT_TRUE(
        v1::IdentityService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                                         grpc::InsecureChannelCredentials()))
            ->SetKioskPin(&context, pin, &set)
            .ok());
  }
  const std::string store = dir_ + "/kiosk.db";
  const auto kiosk = [&](const std::string& arguments) {
    return std::system(absl::StrCat(LMS_KIOSK_BINARY, " --server 127.0.0.1:", port_, " --store ",
                                    store, " ", arguments, " >> ", dir_, "/kiosk.out 2>&1")
                           .c_str());
  };
  ASSERT_EQ(kiosk("register --credential kc1_server-kill-kiosk"), 0);
  ASSERT_EQ(kiosk("identify --number SK-KIOSK --pin 3691"), 0);
  ASSERT_EQ(kiosk("fetch --course 2001"), 0);
  ASSERT_EQ(kiosk("--offline study --number SK-KIOSK --lesson 20012 --minutes 3"), 0);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::set<std::pair<int64_t, std::string>> acknowledged;
  const absl::Time base = absl::Now() - absl::Hours(48);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const int64_t member = kFirstMember + c;
      auth::Caller caller;
      caller.role = auth::Role::kMember;
      caller.member_id = member;
      caller.organization_id = 2;
      const std::string token = signer.Sign(caller, absl::Minutes(10));
      auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                         grpc::InsecureChannelCredentials());
      auto stub = v1::ProgressService::NewStub(channel);
      // Heartbeats moving through the video, 30 s apart; each retried until acknowledged.
      for (int i = 0; !stop.load() && i < 2000; ++i) {
        v1::RecordProgressRequest request;
        v1::ProgressEvent* event = request.add_events();
        event->set_event_id(absl::StrCat("k", i));
        event->set_lesson_id(kVideo);
        grpc_util::SetTimestamp(base + absl::Seconds(30 * (i + 1)), event->mutable_occur_time());
        event->set_from_position((i * 30) % 600);
        event->set_to_position((i * 30) % 600 + 30);
        event->set_active_seconds(30);
        event->set_device_id("phone");
        event->set_sequence(i + 1);
        for (;;) {
          grpc_util::SetTimestamp(absl::Now(), event->mutable_sent_time());
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
          v1::RecordProgressResponse response;
          if (stub->RecordProgress(&context, request, &response).ok()) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.insert({member, event->event_id()});
            break;
          }
          ++failures;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  Kill();
  // The kiosk syncs while the server is down, and keeps trying.
  int kiosk_sync = -1;
  std::thread kiosk_thread([&] { kiosk_sync = kiosk("sync --retry-for 60"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Start();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stop = true;
  for (std::thread& client : clients) client.join();
  kiosk_thread.join();
  EXPECT_EQ(kiosk_sync, 0);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = 700"), 6);

  // The outage was seen, and every client went on afterwards.
  EXPECT_GT(failures.load(), 0);
  ASSERT_GT(acknowledged.size(), static_cast<size_t>(kClients));
  int64_t missing = 0;
  for (const auto& [member, event_id] : acknowledged) {
    if (db_->QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ? AND event_id = ?",
                      {member, event_id}) != 1) {
      ++missing;
    }
  }
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged events";
  // Counted once: each member's year summary equals a recount of its lessons, and its
  // stored events are at most those it sent.
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM (SELECT l.member_id FROM lesson_progress l"
                          " LEFT JOIN (SELECT member_id, SUM(credited_ms) s FROM member_year_study"
                          " GROUP BY member_id) y ON y.member_id = l.member_id"
                          " GROUP BY l.member_id HAVING SUM(l.credited_ms) <> MAX(y.s)) x"),
            0);
  EXPECT_LE(db_->QueryInt("SELECT COUNT(*) FROM progress_event"),
            static_cast<int64_t>(acknowledged.size()) + kClients);
  std::cout << acknowledged.size() << " events acknowledged, " << failures.load()
            << " calls failed during the outage and were retried\n";
}

}  // namespace
}  // namespace lms
