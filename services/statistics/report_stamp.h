#pragma once

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/statistics/rule_versions.h"

namespace lms::statistics {

// Where a report's figures came from (lms.v1.ReportStamp.Source).
enum class FiguresSource : int { kUnspecified = 0, kRollup = 1, kSnapshot = 2, kRecount = 3 };

// What a report states so it can be cited and reproduced.
struct ReportStamp {
  absl::CivilDay as_of;
  absl::Time received_by = absl::InfinitePast();
  absl::Time generate_time = absl::InfinitePast();
  FiguresSource source = FiguresSource::kUnspecified;
  int64_t rollup_lag_ms = 0;
  RuleVersions rules;
  std::string figures_hash;
};

}  // namespace lms::statistics
