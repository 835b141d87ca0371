#pragma once

#include <string>

#include "absl/strings/str_cat.h"
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

// A time as people read it in messages: "2026-11-30 14:00:00 China time".
inline std::string FormatChinaTime(absl::Time t) {
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%S", t, ChinaTimeZone()), " China time");
}

}  // namespace lms
