#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::identity {

// Failed sign-ins of one account in the current one-hour window.
struct ThrottleState {
  absl::Time window_start = absl::InfinitePast();
  int failures = 0;
  absl::Time locked_until = absl::InfinitePast();
};

// The rules against password guessing, per account: the first few failures in an hour
// are free (typos); after that each failure locks the account for twice as long as the
// one before (2 s, 4 s, ... up to 15 min); the 100th failure in an hour locks it until
// the hour is over. A success clears the record. Unknown logins are throttled alike
// under a key made from the login, so the answers never tell which accounts exist.
inline constexpr int kFreeFailures = 5;
inline constexpr int kMaxFailuresPerHour = 100;
inline constexpr absl::Duration kThrottleWindow = absl::Hours(1);
inline constexpr absl::Duration kMaxDelay = absl::Minutes(15);

// The state after one more failure at `now`.
[[nodiscard]] ThrottleState AfterFailure(ThrottleState state, absl::Time now);

// A kiosk device as a whole: many members share it, so typos are counted generously, but
// a device trying PIN after PIN across member numbers (a stolen device credential) is
// stopped: kMaxDeviceFailures wrong PINs in kDeviceWindow lock member sign-in on that
// device until the window ends.
inline constexpr int kMaxDeviceFailures = 20;
inline constexpr absl::Duration kDeviceWindow = absl::Minutes(10);
[[nodiscard]] ThrottleState AfterDeviceFailure(ThrottleState state, absl::Time now);
// RESOURCE_EXHAUSTED with the wait in the message while locked, else OK.
[[nodiscard]] absl::Status CheckNotLocked(const ThrottleState& state, absl::Time now);

// The throttle key of a known account, and of a login that matches none.
[[nodiscard]] std::string AccountThrottleKey(int64_t member_id);
[[nodiscard]] std::string LoginThrottleKey(absl::string_view login);
[[nodiscard]] std::string KioskThrottleKey(int64_t kiosk_id);

// SQL for sign_in_throttle. Stateless; thread-safe.
class ThrottleRepository {
 public:
  [[nodiscard]] absl::StatusOr<ThrottleState> Load(db::Transaction& tx,
                                                   const std::string& key) const;
  [[nodiscard]] absl::Status Save(db::Transaction& tx, const std::string& key,
                                  const ThrottleState& state) const;
  [[nodiscard]] absl::Status Clear(db::Transaction& tx, const std::string& key) const;
};

}  // namespace lms::identity
