#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/activity/activity.h"
#include "services/activity/activity_hours_rule.h"
#include "services/activity/activity_repository.h"
#include "services/activity/activity_service.h"
#include "services/activity/attendance_credits.h"
#include "services/activity/class_seat_repository.h"
#include "services/activity/code_attempt_limiter.h"
#include "services/enrollment/member_directory.h"

namespace lms::activity {

struct RecordedAttendance {
  std::vector<Attendance> attendances;
  CreditChange credits;
};

struct AttendancePage {
  std::vector<Attendance> attendances;
  std::string next_page_token;
  int targeted = 0;
  AttendanceCounts counts;
};

// Attendance: members signing in and out (code or kiosk session), admins' records with a
// reason, closing with its credits, and corrections after it. Thread-safe.
class AttendanceService {
 public:
  AttendanceService(db::ConnectionPool& pool, const Clock& clock,
                    const ActivityRepository& activities, const ActivityService& activity_service,
                    const AttendanceCredits& credits, const enrollment::MemberDirectory& members)
      : pool_(pool),
        clock_(clock),
        activities_(activities),
        activity_service_(activity_service),
        credits_(credits),
        members_(members) {}

  // The caller signs in (`sign_out` false) or out, at the server's time.
  [[nodiscard]] absl::StatusOr<Attendance> SignInOrOut(const call::CallContext& call,
                                                       int64_t activity_id, const std::string& code,
                                                       bool sign_out) const;
  [[nodiscard]] absl::StatusOr<RecordedAttendance> Record(const call::CallContext& call,
                                                          int64_t activity_id,
                                                          const std::vector<int64_t>& member_ids,
                                                          AttendanceStatus status,
                                                          const std::string& reason) const;
  [[nodiscard]] absl::StatusOr<AttendancePage> List(const call::CallContext& call,
                                                    int64_t activity_id, int page_size,
                                                    const std::string& page_token) const;
  [[nodiscard]] absl::StatusOr<Activity> Close(const call::CallContext& call, int64_t activity_id,
                                               int64_t expected_version) const;

 private:
  // The sign-in or sign-out itself, in the write's transaction: the record as written.
  absl::StatusOr<Attendance> Mark(db::Transaction& tx, const call::CallContext& call,
                                  int64_t activity_id, const std::string& code, bool sign_out,
                                  absl::Time now) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const ActivityRepository& activities_;
  const ActivityService& activity_service_;
  const AttendanceCredits& credits_;
  const enrollment::MemberDirectory& members_;
  const ActivityHoursRule hours_rule_{};
  const ClassSeatRepository seats_{};
  mutable CodeAttemptLimiter code_attempts_;
};

}  // namespace lms::activity
