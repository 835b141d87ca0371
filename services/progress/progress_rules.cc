#include "services/progress/progress_rules.h"

#include <algorithm>

#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

constexpr char kRootOrganization[] =
    "SELECT id FROM organization WHERE parent_id IS NULL ORDER BY id LIMIT 1";

}  // namespace

absl::StatusOr<ProgressRules> ProgressRulesSource::Read(db::Transaction& tx,
                                                        absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> root, tx.QueryInt64(kRootOrganization, {}));
  ProgressRules rules;
  if (!root.has_value()) return rules;  // an empty site: the defaults
  int64_t version = 0;
  const auto value = [&](absl::string_view key) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const settings::EffectiveSetting setting, reader_.Get(tx, key, *root, day));
    version = std::max(version, setting.change_id);
    return setting.value;
  };
  ASSIGN_OR_RETURN(const int64_t skew, value("progress.clock_skew_seconds"));
  rules.clock_skew = absl::Seconds(skew);
  ASSIGN_OR_RETURN(const int64_t retention, value("progress.event_retention_months"));
  rules.retention_months = static_cast<int>(retention);
  ASSIGN_OR_RETURN(const int64_t factor, value("progress.credit.time_factor_percent"));
  rules.time_factor_percent = static_cast<int>(factor);
  ASSIGN_OR_RETURN(const int64_t daily_cap, value("progress.credit.lesson_daily_cap_minutes"));
  rules.lesson_daily_cap = absl::Minutes(daily_cap);
  ASSIGN_OR_RETURN(const int64_t speed, value("progress.credit.max_speed_percent"));
  rules.max_speed_percent = static_cast<int>(speed);
  ASSIGN_OR_RETURN(const int64_t media, value("progress.completion.media_permille"));
  rules.media_completion_permille = static_cast<int>(media);
  ASSIGN_OR_RETURN(const int64_t reading, value("progress.completion.article_reading_percent"));
  rules.article_reading_percent = static_cast<int>(reading);
  ASSIGN_OR_RETURN(const int64_t chars, value("progress.length.article_chars_per_minute"));
  rules.article_chars_per_minute = static_cast<int>(chars);
  ASSIGN_OR_RETURN(const int64_t per_page, value("progress.length.document_seconds_per_page"));
  rules.document_seconds_per_page = static_cast<int>(per_page);
  ASSIGN_OR_RETURN(const int64_t credit, value("study_hours.self_study.credit_percent"));
  rules.course_credit_percent = static_cast<int>(credit);
  ASSIGN_OR_RETURN(const int64_t identification, value("offline.identification_hours"));
  rules.identification_max = absl::Hours(identification);
  rules.version = version;
  return rules;
}

absl::StatusOr<ProgressRules> ProgressRulesSource::RulesOn(absl::CivilDay day,
                                                           absl::Time deadline) {
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    if (cached_day_ == day && now - cached_at_ < kRefresh && now >= cached_at_) return cached_;
  }
  ProgressRules rules;
  RETURN_IF_ERROR(db::RunTransaction(pool_, deadline, [&](db::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(rules, Read(tx, day));
    return absl::OkStatus();
  }));
  absl::MutexLock lock(&mu_);
  cached_day_ = day;
  cached_at_ = now;
  cached_ = rules;
  return rules;
}

}  // namespace lms::progress
