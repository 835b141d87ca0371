// The worker pool sheds load when full and survives a task that throws.

#include "common/grpc/worker_pool.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "absl/synchronization/notification.h"

namespace lms::grpc_util {
namespace {

TEST(WorkerPoolTest, ATaskThatThrowsCostsOnlyItself) {
  WorkerPool pool(1, 16);
  ASSERT_TRUE(pool.TryPost([] { throw std::runtime_error("bug"); }));
  ASSERT_TRUE(pool.TryPost([] { throw 42; }));
  absl::Notification ran;
  ASSERT_TRUE(pool.TryPost([&ran] { ran.Notify(); }));
  EXPECT_TRUE(ran.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST(WorkerPoolTest, AFullQueueRefusesAtOnce) {
  WorkerPool pool(1, 1);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool.TryPost([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  ASSERT_TRUE(pool.TryPost([] {}));   // queued
  EXPECT_FALSE(pool.TryPost([] {}));  // over the bound
  release.Notify();
}

}  // namespace
}  // namespace lms::grpc_util
