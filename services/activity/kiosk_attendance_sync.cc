#include "services/activity/kiosk_attendance_sync.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "services/progress/event_checks.h"

namespace lms::activity {

// What the upload learned once and reuses for every sign-in naming the same thing.
struct KioskAttendanceSync::Upload {
  progress::ProgressRules rules;
  absl::Time now;
  std::map<int64_t, absl::Status> served;
  std::map<int64_t, std::optional<Activity>> activities;
  // (member, evidence text) -> what the checker made of it, and its stored id.
  std::map<std::pair<int64_t, std::string>, std::pair<progress::CheckedEvidence, int64_t>> evidence;
};

namespace {

SignInRejection FromEventRejection(progress::EventRejection rejection) {
  switch (rejection) {
    case progress::EventRejection::kEvidenceInvalid:
      return SignInRejection::kEvidenceInvalid;
    case progress::EventRejection::kEvidenceWrongKiosk:
      return SignInRejection::kEvidenceWrongKiosk;
    case progress::EventRejection::kEvidenceWrongMember:
      return SignInRejection::kEvidenceWrongMember;
    case progress::EventRejection::kMemberNotServed:
      return SignInRejection::kMemberNotServed;
    case progress::EventRejection::kFuture:
    case progress::EventRejection::kTooOld:
      return SignInRejection::kBadTime;
    default:
      return SignInRejection::kMalformed;
  }
}

void Reject(OfflineSignInResult& result, SignInRejection rejection, std::string detail) {
  result.outcome = SignInOutcome::kRejected;
  result.rejection = rejection;
  result.detail = std::move(detail);
}

std::optional<std::string> Malformed(const OfflineSignIn& sign_in) {
  status::FieldErrors errors;
  validation::CheckCode(errors, "sign_in_id", sign_in.sign_in_id, 64);
  if (sign_in.activity_id <= 0) errors.Add("activity_id", "must be a positive id");
  if (sign_in.member_id <= 0) errors.Add("member_id", "must be a positive id");
  if (sign_in.occur_time == absl::InfinitePast()) errors.Add("occur_time", "is required");
  if (sign_in.sent_time == absl::InfinitePast()) errors.Add("sent_time", "is required");
  if (sign_in.evidence.kind == progress::EvidenceKind::kNone) {
    errors.Add("evidence", "is required: a kiosk ticket, a phone identification or a claim");
  }
  if (errors.empty()) return std::nullopt;
  return std::string(errors.ToStatus().message());
}

}  // namespace

absl::StatusOr<std::vector<OfflineSignInResult>> KioskAttendanceSync::Sync(
    const call::CallContext& call, const std::vector<OfflineSignIn>& sign_ins) const {
  if (sign_ins.empty() || sign_ins.size() > kMaxSignIns) {
    return status::InvalidField("sign_ins", absl::StrCat("must hold 1 to ", kMaxSignIns));
  }
  const absl::Time now = clock_.Now();
  Upload upload;
  upload.now = now;
  ASSIGN_OR_RETURN(upload.rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  std::vector<OfflineSignInResult> results;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    // A retried transaction starts over: nothing judged before counts.
    results.assign(sign_ins.size(), OfflineSignInResult{});
    upload.served.clear();
    upload.activities.clear();
    upload.evidence.clear();
    for (size_t i = 0; i < sign_ins.size(); ++i) {
      results[i].sign_in_id = sign_ins[i].sign_in_id;
      RETURN_IF_ERROR(Judge(tx, call, upload, sign_ins[i], results[i]));
    }
    return absl::OkStatus();
  }));
  return results;
}

absl::Status KioskAttendanceSync::Judge(db::Transaction& tx, const call::CallContext& call,
                                        Upload& upload, const OfflineSignIn& sign_in,
                                        OfflineSignInResult& result) const {
  if (std::optional<std::string> problem = Malformed(sign_in)) {
    Reject(result, SignInRejection::kMalformed, *std::move(problem));
    return absl::OkStatus();
  }
  const int64_t member = sign_in.member_id;
  // Whom the kiosk serves is the scope checker's decision, held until commit.
  auto [served, first] = upload.served.try_emplace(member);
  if (first) served->second = scopes_.HoldMember(tx, call.caller, member);
  if (served->second.code() == absl::StatusCode::kPermissionDenied ||
      served->second.code() == absl::StatusCode::kNotFound) {
    Reject(result, SignInRejection::kMemberNotServed, "not a member this kiosk serves");
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(served->second);
  // The time it happened, by the server's clock, as for progress events.
  progress::ProgressEvent timing;
  timing.occur_time = sign_in.occur_time;
  timing.sent_time = sign_in.sent_time;
  const absl::Time happened = progress::HappenTime(timing, upload.now, upload.rules);
  if (progress::TimingRejection(happened, upload.now, upload.rules) !=
      progress::EventRejection::kNone) {
    Reject(result, SignInRejection::kBadTime, "it happened in the future or too long ago");
    return absl::OkStatus();
  }
  auto [known, unseen] = upload.activities.try_emplace(sign_in.activity_id);
  if (unseen) {
    // Share mode, as an online sign-in: closing waits for this upload or goes first.
    ASSIGN_OR_RETURN(known->second,
                     activities_.Find(tx, sign_in.activity_id, ActivityRepository::Lock::kShare));
  }
  if (!known->second.has_value()) {
    Reject(result, SignInRejection::kUnknownActivity, "no such activity");
    return absl::OkStatus();
  }
  const Activity& activity = *known->second;
  if (activity.state == ActivityState::kCancelled) {
    Reject(result, SignInRejection::kCancelled, activity.cancel_reason);
    return absl::OkStatus();
  }
  const ActivityContent& content = activity.content;
  const bool in_window =
      sign_in.sign_out
          ? content.sign_out_required && happened >= content.sign_out_open_time &&
                happened < content.sign_out_close_time
          : happened >= content.sign_in_open_time && happened < content.sign_in_close_time;
  if (!in_window) {
    Reject(result, SignInRejection::kOutsideWindow,
           sign_in.sign_out && !content.sign_out_required
               ? "the activity does not ask for sign-out"
               : "it happened outside the activity's window");
    return absl::OkStatus();
  }
  bool targeted = false;
  if (activity.IsClass()) {
    ASSIGN_OR_RETURN(const std::optional<ClassSeat> seat, seats_.Find(tx, activity.id, member));
    targeted = seat.has_value() && seat->state == SeatState::kSeated;
  } else {
    ASSIGN_OR_RETURN(targeted, activities_.Targets(tx, activity, member));
  }
  if (!targeted) {
    Reject(result, SignInRejection::kNotTargeted, "the activity is not for this member");
    return absl::OkStatus();
  }
  auto [checked, fresh] = upload.evidence.try_emplace({member, sign_in.evidence.text});
  if (fresh) {
    ASSIGN_OR_RETURN(checked->second.first,
                     evidence_.Check(tx, sign_in.evidence, call.caller.kiosk_id, member, upload.now,
                                     upload.rules));
  }
  const progress::CheckedEvidence& evidence = checked->second.first;
  if (evidence.rejection != progress::EventRejection::kNone) {
    Reject(result, FromEventRejection(evidence.rejection), evidence.detail);
    return absl::OkStatus();
  }
  if (checked->second.second == 0) {
    ASSIGN_OR_RETURN(checked->second.second,
                     offline_.SaveEvidence(tx, call.caller.kiosk_id, member, evidence, upload.now));
  }
  const bool vouched =
      evidence.ForEvent(happened, upload.rules.clock_skew) == progress::PendingReason::kNone;
  return Apply(tx, call, activity, sign_in, happened, vouched, checked->second.second, upload.now,
               result);
}

absl::Status KioskAttendanceSync::Apply(db::Transaction& tx, const call::CallContext& call,
                                        const Activity& activity, const OfflineSignIn& sign_in,
                                        absl::Time happened, bool vouched, int64_t evidence_id,
                                        absl::Time now, OfflineSignInResult& result) const {
  const int64_t member = sign_in.member_id;
  std::optional<Attendance> row;
  bool inserted = false;
  if (!sign_in.sign_out) {
    Attendance attendance;
    attendance.activity_id = activity.id;
    attendance.member_id = member;
    attendance.status = vouched ? AttendanceStatus::kPresent : AttendanceStatus::kPending;
    attendance.sign_in_method = AttendanceMethod::kKiosk;
    attendance.sign_in_time = happened;
    attendance.kiosk_id = call.caller.kiosk_id;
    attendance.update_time = now;
    attendance.evidence_id = evidence_id;
    // Insert first, as online sign-ins do (no gap locks between concurrent sign-ins).
    ASSIGN_OR_RETURN(inserted, activities_.InsertAttendance(tx, attendance));
    if (inserted) {
      row = attendance;
      result.outcome = vouched ? SignInOutcome::kRecorded : SignInOutcome::kPending;
    }
  }
  if (!row.has_value()) {
    ASSIGN_OR_RETURN(row, activities_.FindAttendance(tx, activity.id, member, true));
    if (!row.has_value()) {
      if (sign_in.sign_out) {
        Reject(result, SignInRejection::kNotSignedIn, "no sign-in to sign out of");
        return absl::OkStatus();
      }
      return absl::AbortedError("attendance changed meanwhile: try again");
    }
    if (row->status == AttendanceStatus::kAbsent) {
      Reject(result, SignInRejection::kRecordedAbsent, "an admin recorded the member absent");
      return absl::OkStatus();
    }
    const bool present = row->status == AttendanceStatus::kPresent;
    bool changed = false;
    if (sign_in.sign_out) {
      if (row->status != AttendanceStatus::kPresent && row->status != AttendanceStatus::kPending) {
        Reject(result, SignInRejection::kNotSignedIn, "no sign-in to sign out of");
        return absl::OkStatus();
      }
      if (row->sign_out_time == absl::InfinitePast()) {
        row->sign_out_method = AttendanceMethod::kKiosk;
        row->sign_out_time = happened;
        changed = true;
      }
    } else if (!present && (vouched || row->status == AttendanceStatus::kExcused)) {
      // Evidence now vouches for a pending sign-in, or an excused member came after all.
      row->status = vouched ? AttendanceStatus::kPresent : AttendanceStatus::kPending;
      row->sign_in_method = AttendanceMethod::kKiosk;
      row->sign_in_time = happened;
      row->kiosk_id = call.caller.kiosk_id;
      row->evidence_id = evidence_id;
      changed = true;
    }
    if (!changed) {
      result.outcome = SignInOutcome::kAlreadyRecorded;
      result.attendance = row;
      return absl::OkStatus();
    }
    row->update_time = now;
    result.outcome = row->status == AttendanceStatus::kPending ? SignInOutcome::kPending
                                                               : SignInOutcome::kRecorded;
  }
  if (activity.state == ActivityState::kClosed) {
    // Closed before the kiosk came back online: the sign-in counts as a correction.
    ASSIGN_OR_RETURN(
        const bool by_presence,
        hours_rule_.CreditByPresence(tx, activity.organization_id, activity.content.start_time));
    RETURN_IF_ERROR(credits_
                        .Settle(tx, activity, *row,
                                AttendanceCredits::Earned(activity, *row, by_presence), 0,
                                "offline kiosk sign-in synced after closing", now)
                        .status());
  }
  if (!inserted || activity.state == ActivityState::kClosed) {
    RETURN_IF_ERROR(activities_.UpdateAttendance(tx, *row));
  }
  result.attendance = row;
  return absl::OkStatus();
}

}  // namespace lms::activity
