#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// Credited study time of one lesson, in total and by the year it counts for.
struct CreditedTime {
  int64_t total_ms = 0;
  std::map<int, int64_t> ms_by_year;
};

// The wall-clock time a member has claimed in one lesson, per China day (each
// millisecond claimed once across all their lessons and devices: StudyTimeClaims), and
// the credited time that follows from it. Crediting is a function of these sums and the
// lesson's coverage alone, so it does not depend on the order events arrived in: each
// day counts up to the lesson's daily cap, and the days fill, oldest first, up to the
// time factor times the covered part of the lesson. Value type; not thread-safe.
class LessonTime {
 public:
  void Add(absl::CivilDay day, int64_t ms) { by_day_[day] += ms; }
  [[nodiscard]] int64_t wall_ms() const;
  [[nodiscard]] CreditedTime Credit(const ProgressRules& rules, int64_t covered_ms) const;

  // "yyyymmdd:ms,...": the stored form. Parse: INTERNAL for anything else.
  [[nodiscard]] std::string Serialize() const;
  [[nodiscard]] static absl::StatusOr<LessonTime> Parse(absl::string_view text);

 private:
  std::map<absl::CivilDay, int64_t> by_day_;
};

}  // namespace lms::progress
