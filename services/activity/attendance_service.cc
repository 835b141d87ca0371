#include "services/activity/attendance_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/sign_in_code.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/activity/activity_validation.h"

namespace lms::activity {
namespace {

constexpr char kAttendancePageKind[] = "attendance";
constexpr size_t kMaxRecordMembers = 500;
constexpr int kCloseBatch = 1000;

absl::Status NotFound(int64_t activity_id) {
  return absl::NotFoundError(absl::StrCat("activity ", activity_id, " not found"));
}

// FAILED_PRECONDITION with the window, unless `now` lies in [open, close).
absl::Status CheckWindow(absl::string_view what, absl::Time open, absl::Time close,
                         absl::Time now) {
  if (now < open) {
    return absl::FailedPreconditionError(absl::StrCat(what, " opens at ", FormatChinaTime(open),
                                                      " (until ", FormatChinaTime(close), ")"));
  }
  if (now >= close) {
    return absl::FailedPreconditionError(absl::StrCat(what, " closed at ", FormatChinaTime(close)));
  }
  return absl::OkStatus();
}

absl::Status CheckOpen(const Activity& activity) {
  if (activity.state == ActivityState::kCancelled) {
    return absl::FailedPreconditionError(
        absl::StrCat("activity ", activity.id, " was cancelled: ", activity.cancel_reason));
  }
  if (activity.state == ActivityState::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("activity ", activity.id, " is closed: ask an admin to record attendance"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Attendance> AttendanceService::Mark(db::Transaction& tx,
                                                   const call::CallContext& call,
                                                   int64_t activity_id, const std::string& code,
                                                   bool sign_out, absl::Time now) const {
  const int64_t member_id = call.caller.member_id;
  // In share mode: sign-ins never wait on each other, and closing (which takes the row
  // for update) sees every sign-in that committed before it, none after. No scope check
  // ran before (the targets below are this RPC's object-level check): an unknown id is
  // NOT_FOUND here.
  ASSIGN_OR_RETURN(const std::optional<Activity> activity,
                   activities_.Find(tx, activity_id, ActivityRepository::Lock::kShare));
  if (!activity.has_value()) return NotFound(activity_id);
  RETURN_IF_ERROR(CheckOpen(*activity));
  const ActivityContent& content = activity->content;
  if (sign_out && !content.sign_out_required) {
    return absl::FailedPreconditionError(
        absl::StrCat("activity ", activity_id, " does not ask for sign-out"));
  }
  RETURN_IF_ERROR(
      sign_out
          ? CheckWindow("sign-out", content.sign_out_open_time, content.sign_out_close_time, now)
          : CheckWindow("sign-in", content.sign_in_open_time, content.sign_in_close_time, now));
  const bool on_kiosk = call.caller.kiosk_id != 0;
  if (!on_kiosk) {
    // A member's own phone proves presence with the code shown in the room now.
    RETURN_IF_ERROR(code_attempts_.Admit(member_id, now));
    if (!auth::SignInCodeMatches(activity->sign_in_secret, code, now)) {
      code_attempts_.RecordWrong(member_id, now);
      return absl::PermissionDeniedError(
          "the sign-in code is wrong or has expired: enter the code shown now");
    }
  }
  const AttendanceMethod method = on_kiosk ? AttendanceMethod::kKiosk : AttendanceMethod::kCode;
  if (sign_out) {
    ASSIGN_OR_RETURN(std::optional<Attendance> existing,
                     activities_.FindAttendance(tx, activity_id, member_id, true));
    if (!existing.has_value() || existing->status != AttendanceStatus::kPresent) {
      return absl::FailedPreconditionError("sign in first: there is no sign-in to sign out of");
    }
    if (existing->sign_out_time != absl::InfinitePast()) return *existing;  // twice is once
    existing->sign_out_method = method;
    existing->sign_out_time = now;
    existing->update_time = now;
    RETURN_IF_ERROR(activities_.UpdateAttendance(tx, *existing));
    return *existing;
  }
  std::string member_name;
  if (activity->IsClass()) {
    ASSIGN_OR_RETURN(const std::optional<ClassSeat> seat, seats_.Find(tx, activity_id, member_id));
    if (!seat.has_value() || seat->state != SeatState::kSeated) {
      return absl::PermissionDeniedError(absl::StrCat(
          "member ", member_id, " holds no seat in class ", activity_id, ": sign up first"));
    }
  } else {
    ASSIGN_OR_RETURN(const bool targeted, activities_.Targets(tx, *activity, member_id));
    if (!targeted) {
      return absl::PermissionDeniedError(
          absl::StrCat("activity ", activity_id, " is not for member ", member_id));
    }
  }
  Attendance attendance;
  attendance.activity_id = activity_id;
  attendance.member_id = member_id;
  attendance.status = AttendanceStatus::kPresent;
  attendance.sign_in_method = method;
  attendance.sign_in_time = now;
  attendance.kiosk_id = call.caller.kiosk_id;
  attendance.update_time = now;
  attendance.member_name = member_name;
  // Insert first: a locking read of a missing row would take a gap lock, and concurrent
  // sign-ins of one activity would deadlock on each other's gaps.
  ASSIGN_OR_RETURN(const bool inserted, activities_.InsertAttendance(tx, attendance));
  if (inserted) return attendance;
  ASSIGN_OR_RETURN(const std::optional<Attendance> existing,
                   activities_.FindAttendance(tx, activity_id, member_id, true));
  if (!existing.has_value()) return absl::AbortedError("attendance changed meanwhile: try again");
  switch (existing->status) {
    case AttendanceStatus::kPresent:
      return *existing;  // twice is once
    case AttendanceStatus::kAbsent:
      return absl::FailedPreconditionError(absl::StrCat(
          "an admin recorded you absent from activity ", activity_id, ": ask them to correct it"));
    default:
      break;
  }
  // Excused beforehand (请假), and came after all.
  attendance.credit_id = existing->credit_id;
  attendance.credit_seq = existing->credit_seq;
  attendance.credited_hundredths = existing->credited_hundredths;
  RETURN_IF_ERROR(activities_.UpdateAttendance(tx, attendance));
  return attendance;
}

absl::StatusOr<Attendance> AttendanceService::SignInOrOut(const call::CallContext& call,
                                                          int64_t activity_id,
                                                          const std::string& code,
                                                          bool sign_out) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  if (call.caller.kiosk_id == 0) {
    if (code.empty()) {
      return status::InvalidField("code", "is required: enter the code the kiosk or screen shows");
    }
    if (code.size() != static_cast<size_t>(auth::kSignInCodeDigits) ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return status::InvalidField("code", "must be the 6 digits shown");
    }
  }
  const int64_t member_id = call.caller.member_id;
  // The answer is the row as written (no read after it); a retry by request id reads it.
  std::optional<Attendance> written;
  const auto replay = [&](db::Transaction& tx, int64_t) -> absl::StatusOr<Attendance> {
    ASSIGN_OR_RETURN(const std::optional<Attendance> attendance,
                     activities_.FindAttendance(tx, activity_id, member_id, false));
    if (!attendance.has_value()) return NotFound(activity_id);
    return *attendance;
  };
  return call::RunIdempotentWrite<Attendance>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(written, Mark(tx, call, activity_id, code, sign_out, now));
        return activity_id;
      },
      [&](db::Transaction& tx, int64_t id) -> absl::StatusOr<Attendance> {
        if (written.has_value()) return *written;
        return replay(tx, id);
      },
      replay);
}

absl::StatusOr<RecordedAttendance> AttendanceService::Record(const call::CallContext& call,
                                                             int64_t activity_id,
                                                             const std::vector<int64_t>& member_ids,
                                                             AttendanceStatus status,
                                                             const std::string& reason) const {
  const absl::Time now = clock_.Now();
  status::FieldErrors errors;
  if (!call.request_id.empty()) {
    if (absl::Status id = validation::CheckRequestIdStatus(call.request_id); !id.ok()) return id;
  }
  if (activity_id <= 0) errors.Add("activity_id", "must be a positive id");
  if (member_ids.empty() || member_ids.size() > kMaxRecordMembers) {
    errors.Add("member_ids", absl::StrCat("must name 1 to ", kMaxRecordMembers, " members"));
  }
  std::set<int64_t> distinct;
  for (size_t i = 0; i < member_ids.size(); ++i) {
    if (member_ids[i] <= 0) {
      errors.Add(absl::StrCat("member_ids[", i, "]"), "must be a positive id");
    } else if (!distinct.insert(member_ids[i]).second) {
      errors.Add(absl::StrCat("member_ids[", i, "]"), "repeated");
    }
  }
  if (status != AttendanceStatus::kPresent && status != AttendanceStatus::kExcused &&
      status != AttendanceStatus::kAbsent) {
    errors.Add("status", "must be PRESENT, EXCUSED or ABSENT");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckReason("reason", reason));
  RecordedAttendance recorded;
  const auto record = [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    recorded = RecordedAttendance{};
    ASSIGN_OR_RETURN(const std::optional<Activity> activity,
                     activities_.Find(tx, activity_id, ActivityRepository::Lock::kUpdate));
    if (!activity.has_value()) return NotFound(activity_id);
    if (activity->state == ActivityState::kCancelled) {
      return absl::FailedPreconditionError(
          absl::StrCat("activity ", activity_id, " was cancelled: ", activity->cancel_reason));
    }
    if (status != AttendanceStatus::kExcused && now < activity->content.start_time) {
      return absl::FailedPreconditionError(absl::StrCat(
          "activity ", activity_id, " starts at ", FormatChinaTime(activity->content.start_time),
          ": only an excused absence (请假) can be recorded before it"));
    }
    ASSIGN_OR_RETURN(const std::vector<enrollment::Enrollee> found,
                     members_.FindMany(tx, member_ids));
    if (found.size() != member_ids.size()) {
      std::set<int64_t> known;
      for (const enrollment::Enrollee& member : found) known.insert(member.id);
      for (size_t i = 0; i < member_ids.size(); ++i) {
        if (known.count(member_ids[i]) == 0) {
          return absl::NotFoundError(
              absl::StrCat("member_ids[", i, "]: member ", member_ids[i], " not found"));
        }
      }
    }
    const bool closed = activity->state == ActivityState::kClosed;
    bool by_presence = false;
    if (closed) {
      ASSIGN_OR_RETURN(by_presence, hours_rule_.CreditByPresence(tx, activity->organization_id,
                                                                 activity->content.start_time));
    }
    for (const int64_t member_id : member_ids) {
      ASSIGN_OR_RETURN(std::optional<Attendance> existing,
                       activities_.FindAttendance(tx, activity_id, member_id, true));
      Attendance attendance = existing.value_or(Attendance{});
      attendance.activity_id = activity_id;
      attendance.member_id = member_id;
      attendance.status = status;
      attendance.recorded_by = call.caller.member_id;
      attendance.reason = reason;
      attendance.update_time = now;
      if (status == AttendanceStatus::kPresent) {
        // Present for the whole activity, by the admin's word.
        attendance.sign_in_method = AttendanceMethod::kAdmin;
        attendance.sign_in_time = activity->content.start_time;
        attendance.kiosk_id = 0;
        if (activity->content.sign_out_required) {
          attendance.sign_out_method = AttendanceMethod::kAdmin;
          attendance.sign_out_time = activity->content.end_time;
        }
      } else if (!existing.has_value()) {
        attendance.sign_in_method = AttendanceMethod::kAdmin;
      }
      if (closed) {
        ASSIGN_OR_RETURN(
            const CreditChange change,
            credits_.Settle(tx, *activity, attendance,
                            AttendanceCredits::Earned(*activity, attendance, by_presence),
                            call.caller.member_id, reason, now));
        recorded.credits.credited_hundredths += change.credited_hundredths;
        recorded.credits.reversed_hundredths += change.reversed_hundredths;
      }
      if (existing.has_value()) {
        RETURN_IF_ERROR(activities_.UpdateAttendance(tx, attendance));
      } else {
        ASSIGN_OR_RETURN(const bool inserted, activities_.InsertAttendance(tx, attendance));
        if (!inserted) {
          return absl::AbortedError("attendance changed meanwhile: try again");
        }
      }
    }
    return activity_id;
  };
  const auto load = [&](db::Transaction& tx, int64_t) -> absl::StatusOr<RecordedAttendance> {
    RecordedAttendance answer;
    answer.credits = recorded.credits;
    for (const int64_t member_id : member_ids) {
      ASSIGN_OR_RETURN(const std::optional<Attendance> attendance,
                       activities_.FindAttendance(tx, activity_id, member_id, false));
      if (attendance.has_value()) answer.attendances.push_back(*attendance);
    }
    return answer;
  };
  return call::RunIdempotentWrite<RecordedAttendance>(pool_, call, now, record, load);
}

absl::StatusOr<AttendancePage> AttendanceService::List(const call::CallContext& call,
                                                       int64_t activity_id, int page_size,
                                                       const std::string& page_token) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  ASSIGN_OR_RETURN(const int size, paging::PageSize(page_size));
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(activity_id));
  int64_t after = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kAttendancePageKind, page_token, 1, fingerprint));
    after = cursor.keys[0];
  }
  return db::RunTransactionFor<AttendancePage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<AttendancePage> {
        ASSIGN_OR_RETURN(const Activity activity, activity_service_.Load(tx, activity_id));
        AttendancePage page;
        ASSIGN_OR_RETURN(page.attendances,
                         activities_.ListAttendance(tx, activity_id, after, size + 1, false));
        page.next_page_token =
            paging::TrimToPage(page.attendances, size, kAttendancePageKind, fingerprint,
                               [](const Attendance& row) { return row.member_id; });
        ASSIGN_OR_RETURN(page.counts, activities_.Counts(tx, activity_id));
        if (activity.targeted_count >= 0) {
          page.targeted = activity.targeted_count;
        } else {
          ASSIGN_OR_RETURN(page.targeted, activities_.CountTargeted(tx, activity));
        }
        return page;
      });
}

absl::StatusOr<Activity> AttendanceService::Close(const call::CallContext& call,
                                                  int64_t activity_id,
                                                  int64_t expected_version) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  RETURN_IF_ERROR(validation::CheckExpectedVersion(expected_version));
  const auto close = [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Activity> activity,
                     activities_.Find(tx, activity_id, ActivityRepository::Lock::kUpdate));
    if (!activity.has_value()) return NotFound(activity_id);
    if (activity->state == ActivityState::kClosed) return activity_id;  // closing again
    if (activity->state == ActivityState::kCancelled) {
      return absl::FailedPreconditionError(
          absl::StrCat("activity ", activity_id, " was cancelled: ", activity->cancel_reason));
    }
    RETURN_IF_ERROR(
        validation::CheckVersion("activity", activity_id, activity->version, expected_version));
    if (now < activity->content.start_time) {
      return absl::FailedPreconditionError(
          absl::StrCat("activity ", activity_id, " has not started: it starts at ",
                       FormatChinaTime(activity->content.start_time)));
    }
    ASSIGN_OR_RETURN(
        const bool by_presence,
        hours_rule_.CreditByPresence(tx, activity->organization_id, activity->content.start_time));
    int64_t after = 0;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<Attendance> batch,
                       activities_.ListAttendance(tx, activity_id, after, kCloseBatch, true));
      for (Attendance& attendance : batch) {
        ASSIGN_OR_RETURN(
            const CreditChange change,
            credits_.Settle(tx, *activity, attendance,
                            AttendanceCredits::Earned(*activity, attendance, by_presence),
                            call.caller.member_id, "", now));
        if (change.credited_hundredths != 0 || change.reversed_hundredths != 0) {
          RETURN_IF_ERROR(activities_.UpdateAttendance(tx, attendance));
        }
      }
      if (static_cast<int>(batch.size()) < kCloseBatch) break;
      after = batch.back().member_id;
    }
    ASSIGN_OR_RETURN(activity->lecturer_credit_id,
                     credits_.CreditLecturer(tx, *activity, call.caller.member_id, now));
    ASSIGN_OR_RETURN(activity->targeted_count, activities_.CountTargeted(tx, *activity));
    activity->state = ActivityState::kClosed;
    activity->close_time = now;
    activity->update_time = now;
    RETURN_IF_ERROR(activities_.SaveHeader(tx, *activity, call.caller.member_id));
    return activity_id;
  };
  return call::RunIdempotentWrite<Activity>(
      pool_, call, now, close,
      [&](db::Transaction& tx, int64_t id) { return activity_service_.Load(tx, id); });
}

}  // namespace lms::activity
