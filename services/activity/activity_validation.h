#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/activity/activity.h"

namespace lms::activity {

// Limits on what an admin enters for an activity.
inline constexpr absl::Duration kMaxActivityLength = absl::Hours(24 * 14);
// How far from the activity a sign-in or sign-out window may reach.
inline constexpr absl::Duration kMaxWindowReach = absl::Hours(24);
// How far ahead an activity may be scheduled, and how far back one held on paper may be
// recorded (last year's, at the start of this one).
inline constexpr absl::Duration kMaxScheduleAhead = absl::Hours(24 * 366);
inline constexpr absl::Duration kMaxRecordedBack = absl::Hours(24 * 731);
inline constexpr absl::Duration kDefaultSignInLead = absl::Minutes(30);
inline constexpr absl::Duration kDefaultSignInGrace = absl::Minutes(30);
inline constexpr absl::Duration kDefaultSignOutLead = absl::Minutes(30);
inline constexpr absl::Duration kDefaultSignOutGrace = absl::Hours(1);

inline constexpr int kMaxClassCapacity = 5000;

// Fills in the default windows for those left unset (a class's sign-up: from `now` until
// it starts).
void ApplyDefaultWindows(ActivityContent& content, absl::Time now);

// INVALID_ARGUMENT naming every bad field (under `prefix`, "activity."), after the
// defaults: kind (when `check_kind`), text lengths, times, windows, lecturer, targets.
[[nodiscard]] absl::Status CheckActivity(const std::string& prefix, ActivityKind kind,
                                         const ActivityContent& content, absl::Time now);

// INVALID_ARGUMENT naming `field` unless 1-500 characters.
[[nodiscard]] absl::Status CheckReason(const std::string& field, const std::string& reason);

}  // namespace lms::activity
