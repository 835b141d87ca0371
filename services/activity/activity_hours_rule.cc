#include "services/activity/activity_hours_rule.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::activity {
namespace {

constexpr absl::Duration kHalfDay = absl::Hours(4);

}  // namespace

int64_t ActivityHoursRule::HalfDays(absl::Time start, absl::Time end) {
  absl::Duration remainder;
  const int64_t started =
      absl::IDivDuration(end - start + kHalfDay - absl::Nanoseconds(1), kHalfDay, &remainder);
  const absl::CivilDay first = absl::ToCivilDay(start, ChinaTimeZone());
  const absl::CivilDay last = absl::ToCivilDay(end - absl::Nanoseconds(1), ChinaTimeZone());
  const int64_t days = (last - first) + 1;
  return std::max<int64_t>(1, std::min(started, 2 * days));
}

absl::StatusOr<ActivityHours> ActivityHoursRule::For(db::Transaction& tx, int64_t organization_id,
                                                     ActivityKind kind, absl::Time start,
                                                     absl::Time end, bool member_lecturer) const {
  const absl::CivilDay day = absl::ToCivilDay(start, ChinaTimeZone());
  const int64_t half_days = HalfDays(start, end);
  ActivityHours hours;
  ASSIGN_OR_RETURN(
      const settings::EffectiveSetting per_half_day,
      settings_.Get(tx, absl::StrCat("activity.hours.", SettingName(kind)), organization_id, day));
  hours.attendee_hundredths = per_half_day.value * half_days;
  hours.rule_version = per_half_day.change_id;
  if (member_lecturer) {
    ASSIGN_OR_RETURN(const settings::EffectiveSetting lecturer,
                     settings_.Get(tx, "activity.hours.lecturer", organization_id, day));
    hours.lecturer_hundredths = lecturer.value * half_days;
    hours.rule_version = std::max(hours.rule_version, lecturer.change_id);
  }
  return hours;
}

absl::StatusOr<bool> ActivityHoursRule::CreditByPresence(db::Transaction& tx,
                                                         int64_t organization_id,
                                                         absl::Time start) const {
  ASSIGN_OR_RETURN(const settings::EffectiveSetting setting,
                   settings_.Get(tx, "activity.credit_by_presence", organization_id,
                                 absl::ToCivilDay(start, ChinaTimeZone())));
  return setting.value != 0;
}

}  // namespace lms::activity
