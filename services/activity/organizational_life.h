#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"
#include "services/activity/activity.h"
#include "services/activity/activity_repository.h"
#include "services/activity/cadence.h"

namespace lms::activity {

struct CadenceStatus {
  ActivityKind kind = ActivityKind::kUnspecified;
  int per_year = 0;
  CadenceDue due;
  int held = 0;
  [[nodiscard]] bool behind() const { return held < due.due; }
};

struct HeldActivity {
  HeldActivityRow row;
  int targeted = 0;
};

struct OrganizationLife {
  OwingOrganization organization;
  std::vector<CadenceStatus> cadences;
  int kinds_behind = 0;
  int shortfall = 0;
  std::vector<HeldActivity> activities;
};

struct OrganizationalLifeInput {
  int64_t organization_id = 0;
  std::optional<absl::CivilDay> from_day;
  std::optional<absl::CivilDay> to_day;
  int page_size = 0;
  std::string page_token;
};

struct OrganizationalLifePage {
  std::vector<OrganizationLife> organizations;
  std::string next_page_token;
};

// 三会一课 kept up: each organisation of a subtree that owes activities, its held
// activities of each kind against the cadence its settings set, the ones behind first
// (largest shortfall, then organisation id: a keyset over that order pages it). The
// cadence of each organisation is read for the period's last day (or today, if
// earlier). Thread-safe.
class OrganizationalLifeReport {
 public:
  OrganizationalLifeReport(db::ConnectionPool& pool, const Clock& clock,
                           const ActivityRepository& activities)
      : pool_(pool), clock_(clock), activities_(activities) {}

  [[nodiscard]] absl::StatusOr<OrganizationalLifePage> List(
      const call::CallContext& call, const OrganizationalLifeInput& input) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const ActivityRepository& activities_;
  const settings::SettingsReader settings_{};
};

}  // namespace lms::activity
