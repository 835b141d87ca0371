#include "services/activity/attendance_credits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::activity {
namespace {

progress::HoursCredit CreditFor(const Activity& activity, int64_t member_id, int64_t hundredths,
                                int64_t actor_member_id) {
  progress::HoursCredit credit;
  credit.member_id = member_id;
  credit.source = progress::CreditSource::kAttendance;
  credit.source_id = activity.id;
  credit.title = activity.content.title;
  credit.hundredths = hundredths;
  credit.content_category = activity.content.content_category;
  credit.rule_version = activity.hours.rule_version;
  credit.actor_member_id = actor_member_id;
  credit.happen_time = activity.content.start_time;
  return credit;
}

}  // namespace

int64_t AttendanceCredits::Earned(const Activity& activity, const Attendance& attendance,
                                  bool by_presence) {
  const int64_t full = activity.hours.attendee_hundredths;
  // Made up by studying the make-up course: the activity's hours, whole.
  if (attendance.status == AttendanceStatus::kMadeUp) return full;
  if (attendance.status != AttendanceStatus::kPresent) return 0;
  if (!activity.content.sign_out_required || !by_presence ||
      attendance.sign_in_method == AttendanceMethod::kAdmin) {
    return full;
  }
  if (attendance.sign_out_time == absl::InfinitePast()) return 0;
  const absl::Time start = activity.content.start_time;
  const absl::Time end = activity.content.end_time;
  const absl::Time from = std::max(attendance.sign_in_time, start);
  const absl::Time to = std::min(attendance.sign_out_time, end);
  if (to <= from) return 0;
  // Whole seconds keep the product far from overflow (at most 14 days x 100,000).
  const int64_t present = absl::ToInt64Seconds(to - from);
  const int64_t length = std::max<int64_t>(1, absl::ToInt64Seconds(end - start));
  return std::min(full, full * present / length);
}

absl::StatusOr<CreditChange> AttendanceCredits::Settle(
    db::Transaction& tx, const Activity& activity, Attendance& attendance, int64_t earned,
    int64_t actor_member_id, const std::string& reason, absl::Time now) const {
  CreditChange change;
  if (attendance.credit_id != 0 && attendance.credited_hundredths == earned) return change;
  if (attendance.credit_id != 0) {
    ASSIGN_OR_RETURN(const progress::HoursCredit reversal,
                     ledger_.Reverse(tx, attendance.credit_id, actor_member_id,
                                     reason.empty() ? "attendance corrected" : reason, now));
    change.reversed_hundredths = reversal.hundredths;
    attendance.credit_id = 0;
    attendance.credited_hundredths = 0;
  }
  if (earned <= 0) return change;
  progress::HoursCredit credit = CreditFor(activity, attendance.member_id, earned, actor_member_id);
  attendance.credit_seq += 1;
  credit.source_key = absl::StrCat("activity:", activity.id, ":", attendance.credit_seq);
  credit.reason = reason;
  ASSIGN_OR_RETURN(const progress::HoursCredit stored, ledger_.Credit(tx, credit, now));
  attendance.credit_id = stored.id;
  attendance.credited_hundredths = stored.hundredths;
  change.credited_hundredths = stored.hundredths;
  return change;
}

absl::StatusOr<int64_t> AttendanceCredits::CreditLecturer(db::Transaction& tx,
                                                          const Activity& activity,
                                                          int64_t actor_member_id,
                                                          absl::Time now) const {
  const int64_t lecturer = activity.content.lecturer.member_id;
  if (lecturer == 0 || activity.hours.lecturer_hundredths <= 0) return 0;
  progress::HoursCredit credit =
      CreditFor(activity, lecturer, activity.hours.lecturer_hundredths, actor_member_id);
  credit.source_key = absl::StrCat("activity:", activity.id, ":lecturer");
  credit.reason = "主讲: the activity's lecturer";
  ASSIGN_OR_RETURN(const progress::HoursCredit stored, ledger_.Credit(tx, credit, now));
  return stored.id;
}

}  // namespace lms::activity
