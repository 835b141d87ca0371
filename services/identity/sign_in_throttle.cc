#include "services/identity/sign_in_throttle.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/identity/secret_token.h"

namespace lms::identity {
namespace {

constexpr char kLoad[] =
    "SELECT window_start, failures, locked_until, lockouts, lockouts_since FROM sign_in_throttle"
    " WHERE throttle_key = ? FOR UPDATE";
constexpr char kSave[] =
    "INSERT INTO sign_in_throttle (throttle_key, window_start, failures, locked_until, lockouts,"
    " lockouts_since) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
    " window_start = VALUES(window_start), failures = VALUES(failures),"
    " locked_until = VALUES(locked_until), lockouts = VALUES(lockouts),"
    " lockouts_since = VALUES(lockouts_since)";
constexpr char kClear[] = "DELETE FROM sign_in_throttle WHERE throttle_key = ?";
// A row to lock before the first attempt: FOR UPDATE on a missing row locks nothing (at
// READ COMMITTED), and parallel first attempts would each count from zero. The no-op
// update takes the row's exclusive lock at once (INSERT IGNORE would take a shared one,
// and two attempts upgrading theirs deadlock).
constexpr char kEnsure[] =
    "INSERT INTO sign_in_throttle (throttle_key, window_start, failures) VALUES (?, ?, 0)"
    " ON DUPLICATE KEY UPDATE throttle_key = throttle_key";

// The lock the `attempts`-th attempt of a window earns, or InfinitePast for none.
absl::Time LockFor(const ThrottleState& state, const ThrottlePolicy& policy, absl::Time now) {
  const absl::Time window_end = state.window_start + policy.window;
  if (policy.max_attempts_per_window > 0 && state.attempts >= policy.max_attempts_per_window) {
    return window_end;
  }
  if (state.attempts < policy.free_attempts) return absl::InfinitePast();
  if (policy.lock_rest_of_window) return window_end;
  const int doublings = std::min(state.attempts - policy.free_attempts, 20);
  return now + std::min(policy.first_lock * (int64_t{1} << doublings), policy.max_lock);
}

db::Param OptionalTime(absl::Time time) {
  return time == absl::InfinitePast() ? db::Param(nullptr) : db::Param(time);
}

}  // namespace

ThrottlePolicy DeviceThrottle(int lockouts_before_long_lock, absl::Duration long_lock) {
  ThrottlePolicy policy;
  policy.free_attempts = kDeviceFreeAttempts;
  policy.window = kDeviceWindow;
  policy.lock_rest_of_window = true;
  policy.lockouts_before_long_lock = lockouts_before_long_lock;
  policy.long_lock = long_lock;
  return policy;
}

absl::Status CheckNotLocked(const ThrottleState& state, absl::Time now) {
  if (state.locked_until <= now) return absl::OkStatus();
  const int64_t seconds =
      absl::ToInt64Seconds(absl::Ceil(state.locked_until - now, absl::Seconds(1)));
  return absl::ResourceExhaustedError(
      absl::StrCat("too many failed attempts: try again in ", seconds, " s"));
}

absl::StatusOr<Reservation> Reserve(const ThrottleState& state, const ThrottlePolicy& policy,
                                    absl::Time now) {
  // The store keeps microseconds: the times a reservation sets must read back equal, or a
  // success would never recognise its own window.
  now = absl::FromUnixMicros(absl::ToUnixMicros(now));
  RETURN_IF_ERROR(CheckNotLocked(state, now));
  Reservation reservation{state, state};
  ThrottleState& next = reservation.after;
  if (now - next.window_start >= policy.window) {
    next.window_start = now;
    next.attempts = 0;
  }
  if (now - next.lockouts_since >= kLockoutMemory) {
    next.lockouts = 0;
    next.lockouts_since = absl::InfinitePast();
  }
  ++next.attempts;
  const absl::Time lock = LockFor(next, policy, now);
  if (lock > now) {
    next.locked_until = lock;
    if (policy.lockouts_before_long_lock > 0) {
      if (next.lockouts == 0) next.lockouts_since = now;
      if (++next.lockouts >= policy.lockouts_before_long_lock) {
        next.locked_until = std::max(lock, now + policy.long_lock);
        next.lockouts = 0;
        next.lockouts_since = absl::InfinitePast();
      }
    }
  }
  return reservation;
}

bool LockedByLaterAttempt(const ThrottleState& current, const Reservation& mine, absl::Time now) {
  return current.locked_until > now && current.window_start == mine.after.window_start &&
         current.attempts > mine.after.attempts;
}

ThrottleState WithoutAttempt(const ThrottleState& current, const Reservation& mine) {
  if (current.window_start == mine.after.window_start && current.attempts == mine.after.attempts) {
    return mine.before;
  }
  ThrottleState fewer = current;
  if (fewer.window_start == mine.after.window_start && fewer.attempts > 0) --fewer.attempts;
  return fewer;
}

std::string AccountThrottleKey(int64_t member_id) { return absl::StrCat("m:", member_id); }

std::string PinThrottleKey(int64_t member_id) { return absl::StrCat("p:", member_id); }

std::string KioskThrottleKey(int64_t kiosk_id) { return absl::StrCat("k:", kiosk_id); }

std::string LoginThrottleKey(absl::string_view login) {
  return absl::StrCat("l:", SecretDigest(absl::AsciiStrToLower(login)));
}

absl::StatusOr<Reservation> ThrottleRepository::Reserve(db::Transaction& tx, const std::string& key,
                                                        const ThrottlePolicy& policy,
                                                        absl::Time now) const {
  RETURN_IF_ERROR(
      tx.Execute(kEnsure, {key, absl::FromUnixMicros(absl::ToUnixMicros(now))}).status());
  ASSIGN_OR_RETURN(const ThrottleState state, Load(tx, key));
  ASSIGN_OR_RETURN(Reservation reservation, identity::Reserve(state, policy, now));
  RETURN_IF_ERROR(Save(tx, key, reservation.after));
  return reservation;
}

absl::StatusOr<ThrottleState> ThrottleRepository::Load(db::Transaction& tx,
                                                       const std::string& key) const {
  ThrottleState state;
  RETURN_IF_ERROR(tx.Query(kLoad, {key}, [&](const db::Row& row) {
    state.window_start = row.Time(1);
    state.attempts = static_cast<int>(row.Int64(2));
    state.locked_until = row.Time(3);
    state.lockouts = static_cast<int>(row.Int64(4));
    state.lockouts_since = row.Time(5);
  }));
  return state;
}

absl::Status ThrottleRepository::Save(db::Transaction& tx, const std::string& key,
                                      const ThrottleState& state) const {
  // A state with no window (an undone first attempt) is no record at all.
  if (state.window_start == absl::InfinitePast()) return Clear(tx, key);
  return tx
      .Execute(kSave, {key, state.window_start, state.attempts, OptionalTime(state.locked_until),
                       state.lockouts, OptionalTime(state.lockouts_since)})
      .status();
}

absl::Status ThrottleRepository::Clear(db::Transaction& tx, const std::string& key) const {
  return tx.Execute(kClear, {key}).status();
}

}  // namespace lms::identity
