// The throttle's rules as pure functions of time: an attempt is counted when it is
// reserved, before its hash; the last free attempt sets the first lock, each attempt
// after a lock doubles it up to 15 minutes; a success refused when a later attempt
// locked the record; a kiosk device's locks escalating to a long lock.

#include "services/identity/sign_in_throttle.h"

#include <gtest/gtest.h>

namespace lms::identity {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

// Reserves at `now`, expecting success.
ThrottleState Reserved(const ThrottleState& state, const ThrottlePolicy& policy, absl::Time now) {
  const absl::StatusOr<Reservation> reservation = Reserve(state, policy, now);
  EXPECT_TRUE(reservation.ok()) << reservation.status();
  return reservation.ok() ? reservation->after : state;
}

TEST(SignInThrottleTest, TheLastFreeAttemptSetsTheFirstLockThenLocksDouble) {
  ThrottleState state;
  for (int i = 1; i < kPasswordThrottle.free_attempts; ++i) {
    state = Reserved(state, kPasswordThrottle, kStart);
    EXPECT_TRUE(CheckNotLocked(state, kStart).ok()) << i;
  }
  state = Reserved(state, kPasswordThrottle, kStart);
  EXPECT_EQ(state.locked_until, kStart + absl::Seconds(2));
  const absl::StatusOr<Reservation> refused = Reserve(state, kPasswordThrottle, kStart);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  // Once the lock is over, one more attempt, and a lock twice as long.
  state = Reserved(state, kPasswordThrottle, kStart + absl::Seconds(2));
  EXPECT_EQ(state.locked_until, kStart + absl::Seconds(2) + absl::Seconds(4));
  EXPECT_EQ(state.attempts, kPasswordThrottle.free_attempts + 1);
}

TEST(SignInThrottleTest, HoweverManyArriveAtOnceOnlyTheFreeAttemptsPass) {
  ThrottleState state;
  int passed = 0;
  for (int i = 0; i < 64; ++i) {
    const absl::StatusOr<Reservation> reservation = Reserve(state, kPasswordThrottle, kStart);
    if (!reservation.ok()) continue;
    ++passed;
    state = reservation->after;
  }
  EXPECT_EQ(passed, kPasswordThrottle.free_attempts);
  EXPECT_EQ(state.attempts, kPasswordThrottle.free_attempts);
}

TEST(SignInThrottleTest, LocksAreCappedAndTheWindowCapLocksToItsEnd) {
  ThrottleState state;
  absl::Time now = kStart;
  for (int i = 0; i < 30 && now < kStart + kPasswordThrottle.window; ++i) {
    state = Reserved(state, kPasswordThrottle, now);
    EXPECT_LE(state.locked_until - now, kPasswordThrottle.max_lock);
    now = std::max(now, state.locked_until);
  }
  ThrottlePolicy capped = kPasswordThrottle;
  capped.max_attempts_per_window = 7;
  capped.first_lock = absl::Milliseconds(1);
  ThrottleState busy;
  absl::Time t = kStart;
  for (int i = 0; i < 7; ++i) {
    busy = Reserved(busy, capped, t);
    t = std::max(t, busy.locked_until);
  }
  EXPECT_EQ(busy.locked_until, kStart + capped.window);
  // A new window starts with the free attempts again.
  busy = Reserved(busy, capped, kStart + capped.window);
  EXPECT_EQ(busy.attempts, 1);
  EXPECT_TRUE(CheckNotLocked(busy, kStart + capped.window).ok());
}

TEST(SignInThrottleTest, ASuccessIsRefusedWhenALaterAttemptLockedTheRecord) {
  const absl::StatusOr<Reservation> first = Reserve(ThrottleState{}, kPasswordThrottle, kStart);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(LockedByLaterAttempt(first->after, *first, kStart));
  ThrottleState state = first->after;
  absl::StatusOr<Reservation> last = first;
  while (CheckNotLocked(state, kStart).ok()) {
    last = Reserve(state, kPasswordThrottle, kStart);
    ASSERT_TRUE(last.ok());
    state = last->after;
  }
  EXPECT_TRUE(LockedByLaterAttempt(state, *first, kStart));
  // The attempt that set the lock itself may still succeed, and so may the first once
  // the lock is over.
  EXPECT_FALSE(LockedByLaterAttempt(state, *last, kStart));
  EXPECT_FALSE(LockedByLaterAttempt(state, *first, state.locked_until));
}

TEST(SignInThrottleTest, ASharedRecordGivesBackOnlyTheSucceedingAttempt) {
  const ThrottlePolicy device = DeviceThrottle(3, absl::Hours(12));
  const absl::StatusOr<Reservation> a = Reserve(ThrottleState{}, device, kStart);
  ASSERT_TRUE(a.ok());
  const absl::StatusOr<Reservation> b = Reserve(a->after, device, kStart);
  ASSERT_TRUE(b.ok());
  // `a` succeeds while `b` is still out: one attempt fewer, nothing else undone.
  const ThrottleState after_a = WithoutAttempt(b->after, *a);
  EXPECT_EQ(after_a.attempts, 1);
  // The newest succeeding is undone exactly.
  const ThrottleState after_b = WithoutAttempt(b->after, *b);
  EXPECT_EQ(after_b.attempts, 1);
  EXPECT_EQ(after_b.window_start, kStart);
}

TEST(SignInThrottleTest, ADeviceLocksItsWindowAndRepeatedLocksLastTheLongLock) {
  const ThrottlePolicy device = DeviceThrottle(3, absl::Hours(12));
  ThrottleState state;
  absl::Time window = kStart;
  for (int lock = 1; lock <= 3; ++lock) {
    for (int i = 0; i < kDeviceFreeAttempts; ++i) {
      state = Reserved(state, device, window + absl::Seconds(i));
    }
    if (lock < 3) {
      EXPECT_EQ(state.locked_until, window + kDeviceWindow) << lock;
      EXPECT_EQ(state.lockouts, lock);
    }
    window += kDeviceWindow;
  }
  // The third lock in a day: 12 hours from the attempt that earned it.
  EXPECT_EQ(state.locked_until,
            kStart + 2 * kDeviceWindow + absl::Seconds(kDeviceFreeAttempts - 1) + absl::Hours(12));
  EXPECT_EQ(state.lockouts, 0);
  // Locks more than a day apart never add up to a long lock.
  ThrottleState slow;
  for (int day = 0; day < 5; ++day) {
    const absl::Time start = kStart + day * (kLockoutMemory + absl::Hours(1));
    for (int i = 0; i < kDeviceFreeAttempts; ++i) slow = Reserved(slow, device, start);
    EXPECT_EQ(slow.locked_until, start + kDeviceWindow) << day;
  }
  // Attempts spread over windows never lock at all.
  ThrottleState spread;
  for (int i = 0; i < 3 * kDeviceFreeAttempts; ++i) {
    const absl::Time at = kStart + i * (kDeviceWindow / (kDeviceFreeAttempts / 2));
    spread = Reserved(spread, device, at);
    EXPECT_TRUE(CheckNotLocked(spread, at).ok()) << i;
  }
}

TEST(SignInThrottleTest, AReservationKeepsTheMicrosecondsTheStoreKeeps) {
  // A clock with nanoseconds: what the store reads back must equal what was reserved.
  const absl::Time now = kStart + absl::Nanoseconds(123'456'789);
  const absl::StatusOr<Reservation> reservation = Reserve(ThrottleState{}, kPasswordThrottle, now);
  ASSERT_TRUE(reservation.ok());
  EXPECT_EQ(reservation->after.window_start, kStart + absl::Microseconds(123'456));
}

TEST(SignInThrottleTest, KeysAreDistinctPerKind) {
  EXPECT_EQ(AccountThrottleKey(42), "m:42");
  EXPECT_EQ(PinThrottleKey(42), "p:42");
  EXPECT_EQ(KioskThrottleKey(42), "k:42");
  EXPECT_EQ(LoginThrottleKey("ABC"), LoginThrottleKey("abc"));
  EXPECT_NE(LoginThrottleKey("abc"), LoginThrottleKey("abd"));
  EXPECT_LE(LoginThrottleKey(std::string(64, 'x')).size(), 80u);
}

}  // namespace
}  // namespace lms::identity
