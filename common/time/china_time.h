#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace lms {

// China Standard Time (UTC+8, no daylight saving): the enterprise's calendar. Dates
// members and admins see or type (join dates, transfers, deadlines) are days here.
inline absl::TimeZone ChinaTimeZone() { return absl::FixedTimeZone(8 * 60 * 60); }

// The calendar day in China at `now`.
inline absl::CivilDay TodayInChina(absl::Time now) {
  return absl::ToCivilDay(now, ChinaTimeZone());
}

}  // namespace lms
