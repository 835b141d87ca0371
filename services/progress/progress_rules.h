#pragma once

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"

namespace lms::progress {

// The crediting and completion rules in force on a day (the site-wide progress.* settings,
// README "Progress and study hours"). `version` names them: the newest settings change
// among them (0 while every one is at its default), stored with every credit so a figure
// can be explained by the rules it was computed with.
struct ProgressRules {
  int64_t version = 0;
  absl::Duration clock_skew = absl::Minutes(5);
  int retention_months = 24;
  int time_factor_percent = 150;
  absl::Duration lesson_daily_cap = absl::Minutes(60);
  int max_speed_percent = 200;
  int media_completion_permille = 900;
  int article_reading_percent = 60;
  int article_chars_per_minute = 400;
  int document_seconds_per_page = 20;
  // study_hours.self_study.credit_percent: the share of a course's hours its completion
  // credits.
  int course_credit_percent = 100;
  // offline.identification_hours: the longest window a phone identification may claim.
  absl::Duration identification_max = absl::Hours(12);
};

// Reads ProgressRules from the settings store at the root organisation, and keeps them
// for a few seconds: every progress batch needs them, and they change a few times a
// year. Thread-safe.
class ProgressRulesSource {
 public:
  ProgressRulesSource(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // The rules in force on `day` (China time), at most kRefresh old.
  [[nodiscard]] absl::StatusOr<ProgressRules> RulesOn(absl::CivilDay day, absl::Time deadline);
  // The same inside the caller's transaction, uncached.
  [[nodiscard]] absl::StatusOr<ProgressRules> Read(db::Transaction& tx, absl::CivilDay day) const;

  static constexpr absl::Duration kRefresh = absl::Seconds(5);

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const settings::SettingsReader reader_{};
  absl::Mutex mu_;
  absl::CivilDay cached_day_ ABSL_GUARDED_BY(mu_);
  absl::Time cached_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  ProgressRules cached_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::progress
