// Order independence: an honest member's 2,000 events (three devices, six lessons, sessions
// across New Year's Eve in China) sent shuffled, partly duplicated and cut into random
// batches, over 200 seeds (50 in the sanitizer build), leave the same completions, ledger and
// summaries as the same events sent in the order they happened. Each seed is a member of its own.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tests/testing/honest_stream.h"
#include "tests/testing/test_server.h"

namespace lms::progress {
namespace {

using auth::Role;

constexpr int kSeeds = testing::kOrderSeeds;
constexpr int kEvents = 2000;

class ProgressOrderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("progress_order");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    testing::SeedStreamCourses(db);
  }
  static void TearDownTestSuite() { delete server_; }

  static int64_t NewMember() {
    const int64_t id = 1000 + ++serial_;
    server_->database().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '倒班学员', 'O", id, "', 2, 2, 1, 1, NOW(), NOW())"));
    return id;
  }

  static void Send(int64_t member, const std::vector<v1::ProgressEvent>& events, size_t begin,
                   size_t end) {
    v1::RecordProgressRequest request;
    for (size_t i = begin; i < end; ++i) *request.add_events() = events[i];
    v1::RecordProgressResponse response;
    const grpc::Status status = server_->progress().RecordProgress(
        server_->Context(server_->Token(Role::kMember, member, 2)).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const v1::EventResult& result : response.results()) {
      ASSERT_NE(result.outcome(), v1::EVENT_OUTCOME_REJECTED) << result.detail();
    }
  }

  static std::string Outcome(int64_t member) {
    return testing::ProgressOutcome(server_->database(), member);
  }

  static testing::TestServer* server_;
  static int serial_;
};
testing::TestServer* ProgressOrderTest::server_ = nullptr;
int ProgressOrderTest::serial_ = 0;

TEST_F(ProgressOrderTest, ShuffledDuplicatedAndChunkedStreamsAddUpAsTheOrderedOne) {
  const std::vector<v1::ProgressEvent> stream =
      testing::HonestStream(server_->clock().Now(), kEvents);
  ASSERT_EQ(stream.size(), static_cast<size_t>(kEvents));
  const int64_t reference = NewMember();
  for (size_t begin = 0; begin < stream.size(); begin += 100) {
    Send(reference, stream, begin, std::min(stream.size(), begin + 100));
  }
  const std::string expected = Outcome(reference);
  // The stream exercises what it should: completions and credits in both years.
  EXPECT_NE(expected.find(absl::StrCat("|", TodayInChina(server_->clock().Now()).year() - 1, "|")),
            std::string::npos)
      << expected;
  EXPECT_GE(
      server_->database().QueryInt(
          "SELECT COUNT(*) FROM course_progress WHERE member_id = ? AND state = 2", {reference}),
      2);

  for (int seed = 0; seed < kSeeds; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 random(seed);
    std::vector<v1::ProgressEvent> events = stream;
    // A tenth again, as a device re-sending after a lost answer would.
    for (int i = 0; i < kEvents / 10; ++i) events.push_back(stream[random() % stream.size()]);
    std::shuffle(events.begin(), events.end(), random);
    const int64_t member = NewMember();
    for (size_t begin = 0; begin < events.size();) {
      const size_t size = random() % 5 == 0 ? 1 + random() % 5 : 1 + random() % 400;
      const size_t end = std::min(events.size(), begin + size);
      Send(member, events, begin, end);
      begin = end;
    }
    ASSERT_EQ(Outcome(member), expected);
  }
}

}  // namespace
}  // namespace lms::progress
