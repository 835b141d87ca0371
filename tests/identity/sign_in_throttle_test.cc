// The throttle's rules as pure functions of time: free failures, doubling delays capped
// at 15 minutes, the hourly cap, and a fresh window after an hour.

#include "services/identity/sign_in_throttle.h"

#include <gtest/gtest.h>

namespace lms::identity {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

TEST(SignInThrottleTest, FirstFailuresAreFreeThenDelaysDouble) {
  ThrottleState state;
  for (int i = 0; i < kFreeFailures; ++i) {
    state = AfterFailure(state, kStart);
    EXPECT_TRUE(CheckNotLocked(state, kStart).ok()) << i;
  }
  state = AfterFailure(state, kStart);
  EXPECT_EQ(state.locked_until, kStart + absl::Seconds(2));
  EXPECT_EQ(CheckNotLocked(state, kStart).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(CheckNotLocked(state, kStart + absl::Seconds(2)).ok());
  state = AfterFailure(state, kStart + absl::Seconds(2));
  EXPECT_EQ(state.locked_until, kStart + absl::Seconds(2) + absl::Seconds(4));
}

TEST(SignInThrottleTest, DelayIsCappedAndTheHundredthFailureLocksTheHour) {
  ThrottleState state;
  absl::Time now = kStart;
  for (int i = 0; i < kMaxFailuresPerHour - 1; ++i) {
    state = AfterFailure(state, now);
    EXPECT_LE(state.locked_until - now, kMaxDelay);
    now += absl::Seconds(1);
  }
  EXPECT_EQ(state.failures, kMaxFailuresPerHour - 1);
  state = AfterFailure(state, now);
  EXPECT_EQ(state.locked_until, kStart + kThrottleWindow);
  EXPECT_EQ(CheckNotLocked(state, kStart + kThrottleWindow - absl::Seconds(1)).code(),
            absl::StatusCode::kResourceExhausted);
  // An hour on, a new window starts with the free failures again.
  state = AfterFailure(state, kStart + kThrottleWindow + absl::Seconds(1));
  EXPECT_EQ(state.failures, 1);
  EXPECT_TRUE(CheckNotLocked(state, kStart + kThrottleWindow + absl::Seconds(1)).ok());
}

TEST(SignInThrottleTest, ADeviceLocksAfterManyWrongPinsInItsWindow) {
  ThrottleState state;
  for (int i = 0; i < kMaxDeviceFailures - 1; ++i) {
    state = AfterDeviceFailure(state, kStart + absl::Seconds(i));
    EXPECT_TRUE(CheckNotLocked(state, kStart + absl::Seconds(i)).ok()) << i;
  }
  state = AfterDeviceFailure(state, kStart + absl::Minutes(1));
  EXPECT_EQ(state.locked_until, kStart + kDeviceWindow);
  EXPECT_EQ(CheckNotLocked(state, kStart + absl::Minutes(2)).code(),
            absl::StatusCode::kResourceExhausted);
  // Failures spread over windows never add up.
  ThrottleState slow;
  for (int i = 0; i < 3 * kMaxDeviceFailures; ++i) {
    slow = AfterDeviceFailure(slow, kStart + i * (kDeviceWindow / (kMaxDeviceFailures / 2)));
  }
  EXPECT_TRUE(CheckNotLocked(slow, kStart + 3 * kDeviceWindow * 2).ok());
}

TEST(SignInThrottleTest, KnownAndUnknownLoginsHaveDistinctKeys) {
  EXPECT_EQ(AccountThrottleKey(42), "m:42");
  EXPECT_EQ(KioskThrottleKey(42), "k:42");
  EXPECT_EQ(LoginThrottleKey("ABC"), LoginThrottleKey("abc"));
  EXPECT_NE(LoginThrottleKey("abc"), LoginThrottleKey("abd"));
  EXPECT_LE(LoginThrottleKey(std::string(64, 'x')).size(), 80u);
}

}  // namespace
}  // namespace lms::identity
