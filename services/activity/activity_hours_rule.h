#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/settings/settings_reader.h"
#include "services/activity/activity.h"

namespace lms::activity {

// The hours an activity credits, by the settings rule of its kind and length in force at
// its organisation on its first day (China time): `activity.hours.<kind>` for each started
// half day (4 hours) it lasts, at most two a calendar day, so a two-hour meeting earns the
// figure once, a day's lecture twice and a three-day visit six times. A member lecturer
// earns `activity.hours.lecturer` the same way. Stateless; thread-safe.
class ActivityHoursRule {
 public:
  [[nodiscard]] absl::StatusOr<ActivityHours> For(db::Transaction& tx, int64_t organization_id,
                                                  ActivityKind kind, absl::Time start,
                                                  absl::Time end, bool member_lecturer) const;
  // `activity.credit_by_presence` for the organisation on the activity's first day.
  [[nodiscard]] absl::StatusOr<bool> CreditByPresence(db::Transaction& tx, int64_t organization_id,
                                                      absl::Time start) const;
  // Started half days from `start` to `end` (end > start), at most two per China day.
  [[nodiscard]] static int64_t HalfDays(absl::Time start, absl::Time end);

 private:
  const settings::SettingsReader settings_{};
};

}  // namespace lms::activity
