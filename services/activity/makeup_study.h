#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"
#include "services/activity/activity_repository.h"
#include "services/activity/attendance_credits.h"

namespace lms::activity {

// Make-up study (补学), a background task: for each closed activity with a make-up course,
// the targeted members who were not present and completed that course by studying it
// between the activity's start and `activity.makeup_days` after it are recorded MADE_UP
// and credited the activity's hours, once (their attendance row holds the credit, as a
// sign-in's does). A completion shows within a tick of the task; a crash between ticks
// loses nothing (the next tick finds the same members, and the row's key makes a second
// credit impossible). Thread-safe.
class MakeUpStudy {
 public:
  MakeUpStudy(db::ConnectionPool& pool, const Clock& clock, const ActivityRepository& activities,
              const AttendanceCredits& credits)
      : pool_(pool), clock_(clock), activities_(activities), credits_(credits) {}

  // One pass over the activities still in their make-up period; members credited.
  [[nodiscard]] absl::StatusOr<int64_t> RunOnce(absl::Time deadline) const;

 private:
  // One activity, in its own transaction.
  absl::StatusOr<int64_t> CreditActivity(int64_t activity_id, absl::Time now,
                                         absl::Time deadline) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const ActivityRepository& activities_;
  const AttendanceCredits& credits_;
  const settings::SettingsReader settings_{};
};

}  // namespace lms::activity
