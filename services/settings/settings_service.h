#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/setting_repository.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"

namespace lms::settings {

struct SettingChangeInput {
  int64_t organization_id = 0;
  std::string key;
  int64_t value = 0;
  bool clear = false;
  std::optional<absl::CivilDay> effective_date;
  int64_t expected_version = 0;
};

struct SettingChangePage {
  std::vector<SettingChangeRecord> changes;
  std::string next_page_token;
};

// Settings' rules: reading effective values for an organisation on a day, changing an
// override (a new version each time, optimistic on the version, idempotent by request
// id), and the history of one setting at one organisation. Which organisations a caller
// may name was checked before these run. Knows neither protos nor SQL. Thread-safe.
class SettingsService {
 public:
  SettingsService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  [[nodiscard]] absl::StatusOr<std::vector<EffectiveSetting>> Get(
      const call::CallContext& call, int64_t organization_id, const std::vector<std::string>& keys,
      std::optional<absl::CivilDay> day) const;
  [[nodiscard]] absl::StatusOr<SettingChangeRecord> Change(const call::CallContext& call,
                                                           const SettingChangeInput& input) const;
  [[nodiscard]] absl::StatusOr<SettingChangePage> ListChanges(const call::CallContext& call,
                                                              int64_t organization_id,
                                                              const std::string& key, int page_size,
                                                              const std::string& page_token) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const SettingsReader reader_{};
  const SettingRepository changes_{};
};

// How far from today an effective date may lie: a year back (a correction), two ahead
// (next year's plan).
inline constexpr int kMaxDaysBack = 366;
inline constexpr int kMaxDaysAhead = 2 * 366;

}  // namespace lms::settings
