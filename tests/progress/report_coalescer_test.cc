#include "services/progress/report_coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"

namespace lms::progress {
namespace {

// Calls of 16 members (two calls each) at once, while the first batch is held: the rest
// wait and go in shared batches, never with two calls of one member, and each call gets
// the answer made for it.
TEST(ReportCoalescerTest, WaitingReportsShareBatchesOfDistinctMembers) {
  absl::Notification first_started;
  absl::Notification release;
  std::atomic<int> batches{0};
  std::atomic<int> largest{0};
  std::atomic<bool> repeated_member{false};
  ReportCoalescer coalescer(
      {/*max_calls=*/8, /*max_events=*/100, /*max_leaders=*/1},
      [&](const std::vector<PendingReport*>& batch) -> absl::StatusOr<std::vector<RecordOutcome>> {
        if (batches++ == 0) {
          first_started.Notify();
          release.WaitForNotification();
        }
        largest = std::max(largest.load(), static_cast<int>(batch.size()));
        std::set<int64_t> members;
        std::vector<RecordOutcome> outcomes;
        for (const PendingReport* report : batch) {
          if (!members.insert(report->member_id).second) repeated_member = true;
          RecordOutcome outcome;
          outcome.completed_course_ids.push_back(report->member_id);
          outcomes.push_back(outcome);
        }
        return outcomes;
      });
  const std::vector<ProgressEvent> events(1);
  call::CallContext call;
  std::vector<std::thread> threads;
  std::atomic<int> right_answers{0};
  const auto submit = [&](int64_t member) {
    PendingReport report{&call, member, &events};
    const absl::StatusOr<RecordOutcome> outcome = coalescer.Submit(report);
    if (outcome.ok() && outcome->completed_course_ids == std::vector<int64_t>{member}) {
      ++right_answers;
    }
  };
  threads.emplace_back(submit, 1000);
  first_started.WaitForNotification();
  for (int i = 0; i < 32; ++i) threads.emplace_back(submit, i % 16);
  absl::SleepFor(absl::Milliseconds(100));  // let them queue behind the held batch
  release.Notify();
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(right_answers.load(), 33);
  EXPECT_FALSE(repeated_member.load());
  EXPECT_GT(largest.load(), 1);
  EXPECT_LE(largest.load(), 8);
  EXPECT_LT(batches.load(), 33);
}

TEST(ReportCoalescerTest, ABatchErrorReachesEveryCallInIt) {
  ReportCoalescer coalescer(
      {}, [](const std::vector<PendingReport*>&) -> absl::StatusOr<std::vector<RecordOutcome>> {
        return absl::UnavailableError("database down");
      });
  const std::vector<ProgressEvent> events(1);
  call::CallContext call;
  PendingReport report{&call, 7, &events};
  EXPECT_EQ(coalescer.Submit(report).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace lms::progress
