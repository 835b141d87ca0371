#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"
#include "common/domain/categories.h"
#include "common/settings/settings_reader.h"

namespace lms::enrollment {

// The study-hours settings plans fall back on, as in force for an organisation on a day:
// each category's default requirement (study_hours.required.*) and whether joiners owe
// a pro-rata share (study_hours.joiner_pro_rata). Stateless; thread-safe.
class HoursSettings {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> DefaultHundredths(db::Transaction& tx,
                                                          MemberCategory category,
                                                          int64_t organization_id,
                                                          absl::CivilDay day) const;
  [[nodiscard]] absl::StatusOr<bool> JoinersProRata(db::Transaction& tx, int64_t organization_id,
                                                    absl::CivilDay day) const;
  // The same, with the change that decided each (statistics name their rule versions).
  [[nodiscard]] absl::StatusOr<settings::EffectiveSetting> Default(db::Transaction& tx,
                                                                   MemberCategory category,
                                                                   int64_t organization_id,
                                                                   absl::CivilDay day) const;
  [[nodiscard]] absl::StatusOr<settings::EffectiveSetting> JoinerRule(db::Transaction& tx,
                                                                      int64_t organization_id,
                                                                      absl::CivilDay day) const;

 private:
  const settings::SettingsReader reader_{};
};

}  // namespace lms::enrollment
