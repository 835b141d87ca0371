#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/activity/activity.h"
#include "services/activity/activity_hours_rule.h"
#include "services/activity/activity_repository.h"
#include "services/activity/class_seat_repository.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_repository.h"
#include "services/enrollment/reference_lookup.h"

namespace lms::activity {

struct ListActivitiesInput {
  int64_t organization_id = 0;
  std::optional<absl::CivilDay> from_day;
  std::optional<absl::CivilDay> to_day;
  bool include_subtree = false;
  bool for_me = false;
  std::vector<ActivityKind> kinds;
  int page_size = 0;
  std::string page_token;
};

struct ActivityPage {
  std::vector<Activity> activities;
  std::string next_page_token;
};

// Scheduling activities: create, versioned edits, cancel, read, list, and the sign-in
// secret for kiosks. Which activities and organisations a caller may name is decided
// before these run (object kind "activity", owned by its organisation). Thread-safe.
class ActivityService {
 public:
  ActivityService(db::ConnectionPool& pool, const Clock& clock,
                  const ActivityRepository& activities)
      : pool_(pool), clock_(clock), activities_(activities) {}

  [[nodiscard]] absl::StatusOr<Activity> Create(const call::CallContext& call,
                                                int64_t organization_id, ActivityKind kind,
                                                ActivityContent content) const;
  [[nodiscard]] absl::StatusOr<Activity> Update(const call::CallContext& call, int64_t activity_id,
                                                int64_t expected_version, ActivityContent content,
                                                const std::string& change_reason) const;
  [[nodiscard]] absl::StatusOr<Activity> Cancel(const call::CallContext& call, int64_t activity_id,
                                                int64_t expected_version,
                                                const std::string& reason) const;
  [[nodiscard]] absl::StatusOr<Activity> Get(const call::CallContext& call, int64_t activity_id,
                                             int64_t version) const;
  [[nodiscard]] absl::StatusOr<ActivityPage> List(const call::CallContext& call,
                                                  const ListActivitiesInput& input) const;
  // The activity with its secret, for a kiosk or a projector page.
  [[nodiscard]] absl::StatusOr<Activity> SignInSecret(const call::CallContext& call,
                                                      int64_t activity_id) const;

  // The activity as stored with its present count; NOT_FOUND naming it.
  [[nodiscard]] absl::StatusOr<Activity> Load(db::Transaction& tx, int64_t activity_id,
                                              int64_t version = 0) const;

 private:
  // A write answering with the activity as stored (retries by request id included).
  template <typename Mutate>
  absl::StatusOr<Activity> Write(const call::CallContext& call, Mutate&& mutate) const;
  // The lecturer, if a member, within the caller's reach; the hours by the rule.
  absl::Status PrepareContent(db::Transaction& tx, const call::CallContext& call,
                              Activity& activity) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const ActivityRepository& activities_;
  const ActivityHoursRule hours_rule_{};
  const enrollment::ReferenceLookup references_{};
  const enrollment::MemberDirectory members_{};
  const enrollment::PlanRepository plans_{};
  const ClassSeatRepository seats_{};
};

}  // namespace lms::activity
