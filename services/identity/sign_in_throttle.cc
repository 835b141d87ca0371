#include "services/identity/sign_in_throttle.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/identity/secret_token.h"

namespace lms::identity {
namespace {

constexpr char kLoad[] =
    "SELECT window_start, failures, locked_until FROM sign_in_throttle WHERE throttle_key = ?"
    " FOR UPDATE";
constexpr char kSave[] =
    "INSERT INTO sign_in_throttle (throttle_key, window_start, failures, locked_until)"
    " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE window_start = VALUES(window_start),"
    " failures = VALUES(failures), locked_until = VALUES(locked_until)";
constexpr char kClear[] = "DELETE FROM sign_in_throttle WHERE throttle_key = ?";

}  // namespace

ThrottleState AfterFailure(ThrottleState state, absl::Time now) {
  if (now - state.window_start >= kThrottleWindow) {
    state.window_start = now;
    state.failures = 0;
  }
  ++state.failures;
  if (state.failures >= kMaxFailuresPerHour) {
    state.locked_until = state.window_start + kThrottleWindow;
  } else if (state.failures > kFreeFailures) {
    const int doublings = std::min(state.failures - kFreeFailures, 20);
    const absl::Duration delay = std::min(absl::Seconds(int64_t{1} << doublings), kMaxDelay);
    state.locked_until = now + delay;
  }
  return state;
}

ThrottleState AfterDeviceFailure(ThrottleState state, absl::Time now) {
  if (now - state.window_start >= kDeviceWindow) {
    state.window_start = now;
    state.failures = 0;
  }
  ++state.failures;
  if (state.failures >= kMaxDeviceFailures) state.locked_until = state.window_start + kDeviceWindow;
  return state;
}

absl::Status CheckNotLocked(const ThrottleState& state, absl::Time now) {
  if (state.locked_until <= now) return absl::OkStatus();
  const int64_t seconds =
      absl::ToInt64Seconds(absl::Ceil(state.locked_until - now, absl::Seconds(1)));
  return absl::ResourceExhaustedError(
      absl::StrCat("too many failed attempts: try again in ", seconds, " s"));
}

std::string AccountThrottleKey(int64_t member_id) { return absl::StrCat("m:", member_id); }

std::string KioskThrottleKey(int64_t kiosk_id) { return absl::StrCat("k:", kiosk_id); }

std::string LoginThrottleKey(absl::string_view login) {
  return absl::StrCat("l:", SecretDigest(absl::AsciiStrToLower(login)));
}

absl::StatusOr<ThrottleState> ThrottleRepository::Load(db::Transaction& tx,
                                                       const std::string& key) const {
  ThrottleState state;
  RETURN_IF_ERROR(tx.Query(kLoad, {key}, [&](const db::Row& row) {
    state.window_start = row.Time(1);
    state.failures = static_cast<int>(row.Int64(2));
    state.locked_until = row.Time(3);
  }));
  return state;
}

absl::Status ThrottleRepository::Save(db::Transaction& tx, const std::string& key,
                                      const ThrottleState& state) const {
  const db::Param locked = state.locked_until == absl::InfinitePast()
                               ? db::Param(nullptr)
                               : db::Param(state.locked_until);
  return tx.Execute(kSave, {key, state.window_start, state.failures, locked}).status();
}

absl::Status ThrottleRepository::Clear(db::Transaction& tx, const std::string& key) const {
  return tx.Execute(kClear, {key}).status();
}

}  // namespace lms::identity
