#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/scope_checker.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/activity/activity.h"
#include "services/activity/activity_hours_rule.h"
#include "services/activity/activity_repository.h"
#include "services/activity/attendance_credits.h"
#include "services/activity/class_seat_repository.h"
#include "services/progress/offline_evidence.h"
#include "services/progress/offline_evidence_checker.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::activity {

// One sign-in (or sign-out) an offline kiosk took, as uploaded.
struct OfflineSignIn {
  std::string sign_in_id;
  int64_t activity_id = 0;
  int64_t member_id = 0;
  bool sign_out = false;
  absl::Time occur_time = absl::InfinitePast();
  absl::Time sent_time = absl::InfinitePast();
  progress::UploadedEvidence evidence;
};

// Numbers equal lms.v1.KioskSignInOutcome and lms.v1.KioskSignInRejection.
enum class SignInOutcome : int {
  kUnspecified = 0,
  kRecorded,
  kAlreadyRecorded,
  kPending,
  kRejected
};
enum class SignInRejection : int {
  kNone = 0,
  kMalformed,
  kUnknownActivity,
  kCancelled,
  kOutsideWindow,
  kNotTargeted,
  kEvidenceInvalid,
  kEvidenceWrongKiosk,
  kEvidenceWrongMember,
  kMemberNotServed,
  kNotSignedIn,
  kBadTime,
  kRecordedAbsent,
};

struct OfflineSignInResult {
  std::string sign_in_id;
  SignInOutcome outcome = SignInOutcome::kUnspecified;
  SignInRejection rejection = SignInRejection::kNone;
  std::string detail;
  std::optional<Attendance> attendance;
};

// A kiosk's offline sign-ins, judged by when they happened under the offline trust model
// the progress service set (its evidence checker, evidence store and clock correction):
// evidence that covers the moment records the sign-in as made on the kiosk then; the
// kiosk's word alone records it PENDING for an admin. Uploads re-sent after a lost answer
// change nothing (one row per member and activity). One transaction per upload.
// Thread-safe.
class KioskAttendanceSync {
 public:
  static constexpr size_t kMaxSignIns = 500;

  KioskAttendanceSync(db::ConnectionPool& pool, const Clock& clock,
                      progress::ProgressRulesSource& rules, const ActivityRepository& activities,
                      const AttendanceCredits& credits,
                      const progress::OfflineEvidenceChecker& evidence,
                      const progress::OfflineRepository& offline, const auth::ScopeChecker& scopes)
      : pool_(pool),
        clock_(clock),
        rules_(rules),
        activities_(activities),
        credits_(credits),
        evidence_(evidence),
        offline_(offline),
        scopes_(scopes) {}

  [[nodiscard]] absl::StatusOr<std::vector<OfflineSignInResult>> Sync(
      const call::CallContext& call, const std::vector<OfflineSignIn>& sign_ins) const;

 private:
  struct Upload;
  // One sign-in, inside the upload's transaction.
  absl::Status Judge(db::Transaction& tx, const call::CallContext& call, Upload& upload,
                     const OfflineSignIn& sign_in, OfflineSignInResult& result) const;
  // Writes the attendance a judged sign-in makes.
  absl::Status Apply(db::Transaction& tx, const call::CallContext& call, const Activity& activity,
                     const OfflineSignIn& sign_in, absl::Time happened, bool vouched,
                     int64_t evidence_id, absl::Time now, OfflineSignInResult& result) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  progress::ProgressRulesSource& rules_;
  const ActivityRepository& activities_;
  const AttendanceCredits& credits_;
  const progress::OfflineEvidenceChecker& evidence_;
  const progress::OfflineRepository& offline_;
  const auth::ScopeChecker& scopes_;
  const ClassSeatRepository seats_{};
  const ActivityHoursRule hours_rule_{};
};

}  // namespace lms::activity
