#include "services/progress/event_checks.h"

#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"

namespace lms::progress {

std::optional<std::string> EventFieldProblem(const ProgressEvent& event) {
  status::FieldErrors errors;
  validation::CheckCode(errors, "event_id", event.event_id, 64);
  validation::CheckCode(errors, "device_id", event.device_id, kMaxDeviceIdLength);
  if (event.lesson_id <= 0) errors.Add("lesson_id", "must be a positive id");
  if (event.sequence <= 0) errors.Add("sequence", "must be 1 or more");
  if (event.active_seconds < 0 || event.active_seconds > kMaxActiveSeconds) {
    errors.Add("active_seconds", absl::StrCat("must be 0 to ", kMaxActiveSeconds));
  }
  // Stored as given, so within what the store keeps; the rules decide the rest.
  const absl::Time earliest = absl::FromCivil(absl::CivilYear(2000), ChinaTimeZone());
  const absl::Time latest = absl::FromCivil(absl::CivilYear(2100), ChinaTimeZone());
  if (event.occur_time < earliest || event.occur_time >= latest) {
    errors.Add("occur_time", "is required, from 2000 to 2099");
  }
  if (event.sent_time < earliest || event.sent_time >= latest) {
    errors.Add("sent_time", "is required, from 2000 to 2099");
  }
  if (errors.violations().empty()) return std::nullopt;
  const auto& [field, description] = errors.violations().front();
  return absl::StrCat(field, ": ", description);
}

absl::Time HappenTime(const ProgressEvent& event, absl::Time received, const ProgressRules& rules) {
  const absl::Duration error = received - event.sent_time;
  const absl::Time happened =
      absl::AbsDuration(error) <= rules.clock_skew ? event.occur_time : event.occur_time + error;
  // To the microsecond the store keeps, so a time read back equals the one computed.
  return absl::FromUnixMicros(absl::ToUnixMicros(happened));
}

EventRejection TimingRejection(absl::Time happened, absl::Time received,
                               const ProgressRules& rules) {
  if (happened > received + rules.clock_skew) return EventRejection::kFuture;
  const absl::CivilDay today = TodayInChina(received);
  const absl::CivilMonth oldest_month = absl::CivilMonth(today) - rules.retention_months;
  if (happened < absl::FromCivil(oldest_month, ChinaTimeZone())) return EventRejection::kTooOld;
  return EventRejection::kNone;
}

}  // namespace lms::progress
