#include "services/progress/lesson_time.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lms::progress {

int64_t LessonTime::wall_ms() const {
  int64_t total = 0;
  for (const auto& [day, ms] : by_day_) total += ms;
  return total;
}

CreditedTime LessonTime::Credit(const ProgressRules& rules, int64_t covered_ms) const {
  CreditedTime credited;
  int64_t remaining = covered_ms * rules.time_factor_percent / 100;
  const int64_t daily_cap = absl::ToInt64Milliseconds(rules.lesson_daily_cap);
  for (const auto& [day, ms] : by_day_) {
    const int64_t counted = std::min({ms, daily_cap, remaining});
    if (counted <= 0) continue;
    remaining -= counted;
    credited.total_ms += counted;
    credited.ms_by_year[static_cast<int>(day.year())] += counted;
  }
  return credited;
}

std::string LessonTime::Serialize() const {
  std::string text;
  for (const auto& [day, ms] : by_day_) {
    if (!text.empty()) text += ',';
    absl::StrAppend(&text, day.year() * 10000 + day.month() * 100 + day.day(), ":", ms);
  }
  return text;
}

absl::StatusOr<LessonTime> LessonTime::Parse(absl::string_view text) {
  LessonTime time;
  if (text.empty()) return time;
  for (const absl::string_view piece : absl::StrSplit(text, ',')) {
    const std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(piece, ':');
    int64_t date = 0;
    int64_t ms = 0;
    if (!absl::SimpleAtoi(parts.first, &date) || !absl::SimpleAtoi(parts.second, &ms) || ms < 0) {
      return absl::InternalError(absl::StrCat("stored study days are corrupt: ", piece));
    }
    const absl::CivilDay day(date / 10000, date / 100 % 100, date % 100);
    if (day.year() * 10000 + day.month() * 100 + day.day() != date) {
      return absl::InternalError(absl::StrCat("stored study day is not a date: ", piece));
    }
    time.by_day_[day] += ms;
  }
  return time;
}

}  // namespace lms::progress
