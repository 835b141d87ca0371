#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::identity {

// The attempts at one secret (an account's password, a member's PIN) or on one kiosk in
// the current window, and the lock they earned.
struct ThrottleState {
  absl::Time window_start = absl::InfinitePast();
  // Attempts reserved in the window. An attempt counts as failed from the moment it is
  // reserved, before its hash; only a success takes it back.
  int attempts = 0;
  absl::Time locked_until = absl::InfinitePast();
  // Locks earned since `lockouts_since` (for escalation); forgotten after a day.
  int lockouts = 0;
  absl::Time lockouts_since = absl::InfinitePast();
};

// How attempts at a secret are limited. The attempt that uses up the free ones sets the
// first lock, so however many arrive at once, no more than `free_attempts` are hashed
// before the lock, and one per lock after it.
struct ThrottlePolicy {
  int free_attempts = 5;
  absl::Duration window = absl::Hours(1);
  // The lock the last free attempt sets; each attempt after a lock doubles it, up to
  // `max_lock`.
  absl::Duration first_lock = absl::Seconds(2);
  absl::Duration max_lock = absl::Minutes(15);
  // Locks until the window ends instead (a kiosk device).
  bool lock_rest_of_window = false;
  // This many attempts in a window lock it to its end (0: no such cap).
  int max_attempts_per_window = 0;
  // After this many locks within a day, a lock lasts `long_lock` (0: never).
  int lockouts_before_long_lock = 0;
  absl::Duration long_lock = absl::ZeroDuration();
};

// Passwords (sign-in, activation, password change): 5 free attempts an hour (typos), then
// 2 s, 4 s, ... up to 15 min between attempts; the 100th attempt in an hour locks it until
// the hour is over. Unknown logins are throttled alike under a key made from the login, so
// the answers never tell which accounts exist.
inline constexpr ThrottlePolicy kPasswordThrottle{
    5, absl::Hours(1), absl::Seconds(2), absl::Minutes(15), false, 100, 0, absl::ZeroDuration()};
// A member's kiosk PIN: 5 wrong PINs lock it for 15 minutes (a phone still signs in).
inline constexpr ThrottlePolicy kPinThrottle{
    5, absl::Hours(1), absl::Minutes(15), absl::Minutes(15), false, 0, 0, absl::ZeroDuration()};
// A kiosk device as a whole: many members share it, so typos are counted generously, but
// a device trying PIN after PIN across member numbers (a stolen device credential) is
// stopped: 20 attempts in 10 minutes lock member sign-in on it until the window ends, and
// `lockouts_before_long_lock` such locks within a day lock it for `long_lock` (settings
// kiosk.device.*), or until an admin unlocks it.
inline constexpr int kDeviceFreeAttempts = 20;
inline constexpr absl::Duration kDeviceWindow = absl::Minutes(10);
[[nodiscard]] ThrottlePolicy DeviceThrottle(int lockouts_before_long_lock,
                                            absl::Duration long_lock);
// Locks older than this no longer count towards a long lock.
inline constexpr absl::Duration kLockoutMemory = absl::Hours(24);

// One reserved attempt: the state before and after it.
struct Reservation {
  ThrottleState before;
  ThrottleState after;
};

// RESOURCE_EXHAUSTED with the wait in the message while locked, else OK.
[[nodiscard]] absl::Status CheckNotLocked(const ThrottleState& state, absl::Time now);
// Reserves one attempt at `now`: RESOURCE_EXHAUSTED while locked (nothing counted), else
// the state with the attempt counted as failed and any lock it earns.
[[nodiscard]] absl::StatusOr<Reservation> Reserve(const ThrottleState& state,
                                                  const ThrottlePolicy& policy, absl::Time now);
// Whether an attempt reserved after `mine` has locked `current`: a success of `mine`
// must then be refused, or a right guess could land after a parallel failure locked it.
[[nodiscard]] bool LockedByLaterAttempt(const ThrottleState& current, const Reservation& mine,
                                        absl::Time now);
// A record shared by many secrets (a device) after `mine` succeeded: its reservation
// undone if no attempt came after it, else simply one attempt fewer.
[[nodiscard]] ThrottleState WithoutAttempt(const ThrottleState& current, const Reservation& mine);

// The throttle key of a known account, and of a login that matches none; of a member's
// PIN; of a kiosk device.
[[nodiscard]] std::string AccountThrottleKey(int64_t member_id);
[[nodiscard]] std::string LoginThrottleKey(absl::string_view login);
[[nodiscard]] std::string PinThrottleKey(int64_t member_id);
[[nodiscard]] std::string KioskThrottleKey(int64_t kiosk_id);

// SQL for sign_in_throttle. Stateless; thread-safe.
class ThrottleRepository {
 public:
  // Loads (FOR UPDATE) and reserves one attempt under `key` (see Reserve).
  [[nodiscard]] absl::StatusOr<Reservation> Reserve(db::Transaction& tx, const std::string& key,
                                                    const ThrottlePolicy& policy,
                                                    absl::Time now) const;
  // The record, locked FOR UPDATE; a fresh one when there is none.
  [[nodiscard]] absl::StatusOr<ThrottleState> Load(db::Transaction& tx,
                                                   const std::string& key) const;
  // Deletes the record when `state` has no window.
  [[nodiscard]] absl::Status Save(db::Transaction& tx, const std::string& key,
                                  const ThrottleState& state) const;
  [[nodiscard]] absl::Status Clear(db::Transaction& tx, const std::string& key) const;
};

}  // namespace lms::identity
