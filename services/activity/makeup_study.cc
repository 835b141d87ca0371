#include "services/activity/makeup_study.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::activity {
namespace {

// The longest make-up period a setting allows (activity.makeup_days at most 366).
constexpr absl::Duration kLongestPeriod = absl::Hours(24 * 367);

}  // namespace

absl::StatusOr<int64_t> MakeUpStudy::RunOnce(absl::Time deadline) const {
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(
      const std::vector<int64_t> ids,
      db::RunTransactionFor<std::vector<int64_t>>(pool_, deadline, [&](db::Transaction& tx) {
        return activities_.ClosedWithMakeUp(tx, now - kLongestPeriod);
      }));
  int64_t credited = 0;
  for (const int64_t id : ids) {
    ASSIGN_OR_RETURN(const int64_t members, CreditActivity(id, now, deadline));
    credited += members;
  }
  return credited;
}

absl::StatusOr<int64_t> MakeUpStudy::CreditActivity(int64_t activity_id, absl::Time now,
                                                    absl::Time deadline) const {
  return db::RunTransactionFor<int64_t>(
      pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        // Share mode, as a sign-in: a correction being recorded goes first or waits.
        ASSIGN_OR_RETURN(const std::optional<Activity> activity,
                         activities_.Find(tx, activity_id, ActivityRepository::Lock::kShare));
        if (!activity.has_value() || activity->state != ActivityState::kClosed) return 0;
        const absl::Time start = activity->content.start_time;
        ASSIGN_OR_RETURN(const settings::EffectiveSetting days,
                         settings_.Get(tx, "activity.makeup_days", activity->organization_id,
                                       absl::ToCivilDay(start, ChinaTimeZone())));
        const absl::Time until = start + absl::Hours(24 * days.value);
        ASSIGN_OR_RETURN(const std::vector<int64_t> members,
                         activities_.MakeUpCandidates(tx, *activity, start, until));
        for (const int64_t member : members) {
          ASSIGN_OR_RETURN(std::optional<Attendance> existing,
                           activities_.FindAttendance(tx, activity_id, member, true));
          Attendance attendance = existing.value_or(Attendance{});
          attendance.activity_id = activity_id;
          attendance.member_id = member;
          attendance.status = AttendanceStatus::kMadeUp;
          attendance.sign_in_method = AttendanceMethod::kMakeUp;
          attendance.sign_in_time = absl::InfinitePast();
          attendance.sign_out_method = AttendanceMethod::kUnspecified;
          attendance.sign_out_time = absl::InfinitePast();
          attendance.kiosk_id = 0;
          attendance.recorded_by = 0;
          attendance.reason =
              absl::StrCat("补学: completed course ", activity->content.makeup_course_id);
          attendance.update_time = now;
          RETURN_IF_ERROR(credits_
                              .Settle(tx, *activity, attendance,
                                      AttendanceCredits::Earned(*activity, attendance, false), 0,
                                      "make-up study (补学)", now)
                              .status());
          if (existing.has_value()) {
            RETURN_IF_ERROR(activities_.UpdateAttendance(tx, attendance));
          } else {
            ASSIGN_OR_RETURN(const bool inserted, activities_.InsertAttendance(tx, attendance));
            if (!inserted) return absl::AbortedError("attendance changed meanwhile");
          }
        }
        return static_cast<int64_t>(members.size());
      });
}

}  // namespace lms::activity
