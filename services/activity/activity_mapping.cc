#include "services/activity/activity_mapping.h"

#include <string>

#include "common/auth/sign_in_code.h"
#include "common/grpc/proto_time.h"
#include "services/progress/progress_mapping.h"

namespace lms::activity {

using grpc_util::SetTimestamp;
using grpc_util::TimeFromProto;

ActivityContent ContentFromProto(const v1::Activity& proto) {
  ActivityContent content;
  content.title = proto.title();
  content.content_category = static_cast<ContentCategory>(proto.content_category());
  content.description = proto.description();
  content.location = proto.location();
  content.start_time = TimeFromProto(proto.start_time());
  content.end_time = TimeFromProto(proto.end_time());
  content.sign_in_open_time = TimeFromProto(proto.sign_in_open_time());
  content.sign_in_close_time = TimeFromProto(proto.sign_in_close_time());
  content.sign_out_required = proto.sign_out_required();
  content.sign_out_open_time = TimeFromProto(proto.sign_out_open_time());
  content.sign_out_close_time = TimeFromProto(proto.sign_out_close_time());
  content.lecturer.member_id = proto.lecturer().member_id();
  content.lecturer.name = proto.lecturer().name();
  content.lecturer.title = proto.lecturer().title();
  content.targets.include_subtree = proto.targets().include_subtree();
  for (const int category : proto.targets().member_categories()) {
    content.targets.member_categories.push_back(static_cast<MemberCategory>(category));
  }
  const v1::TrainingClass& seats = proto.training_class();
  content.training_class.capacity = seats.capacity();
  content.training_class.sign_up_open_time = TimeFromProto(seats.sign_up_open_time());
  content.training_class.sign_up_close_time = TimeFromProto(seats.sign_up_close_time());
  content.training_class.plan_id = seats.plan_id();
  content.makeup_course_id = proto.makeup_course_id();
  return content;
}

void ToProto(const Activity& activity, absl::Time now, v1::Activity* proto) {
  const ActivityContent& c = activity.content;
  proto->set_id(activity.id);
  proto->set_organization_id(activity.organization_id);
  proto->set_kind(static_cast<v1::ActivityKind>(activity.kind));
  proto->set_title(c.title);
  proto->set_content_category(static_cast<v1::ContentCategory>(c.content_category));
  SetTimestamp(c.start_time, proto->mutable_start_time());
  SetTimestamp(c.end_time, proto->mutable_end_time());
  proto->mutable_hours()->set_hundredths(activity.hours.attendee_hundredths);
  proto->set_location(c.location);
  proto->set_attendee_count(activity.attendee_count);
  proto->mutable_lecturer()->set_member_id(c.lecturer.member_id);
  proto->mutable_lecturer()->set_name(c.lecturer.name);
  proto->mutable_lecturer()->set_title(c.lecturer.title);
  proto->set_description(c.description);
  proto->mutable_targets()->set_include_subtree(c.targets.include_subtree);
  for (const MemberCategory category : c.targets.member_categories) {
    proto->mutable_targets()->add_member_categories(static_cast<v1::MemberCategory>(category));
  }
  SetTimestamp(c.sign_in_open_time, proto->mutable_sign_in_open_time());
  SetTimestamp(c.sign_in_close_time, proto->mutable_sign_in_close_time());
  proto->set_sign_out_required(c.sign_out_required);
  SetTimestamp(c.sign_out_open_time, proto->mutable_sign_out_open_time());
  SetTimestamp(c.sign_out_close_time, proto->mutable_sign_out_close_time());
  proto->set_state(static_cast<v1::ActivityState>(activity.StateAt(now)));
  proto->set_version(activity.version);
  proto->set_hours_rule_version(activity.hours.rule_version);
  proto->mutable_lecturer_hours()->set_hundredths(activity.hours.lecturer_hundredths);
  proto->set_targeted_count(std::max(0, activity.targeted_count));
  proto->set_cancel_reason(activity.cancel_reason);
  SetTimestamp(activity.create_time, proto->mutable_create_time());
  SetTimestamp(activity.update_time, proto->mutable_update_time());
  SetTimestamp(activity.close_time, proto->mutable_close_time());
  proto->set_change_reason(activity.change_reason);
  proto->set_makeup_course_id(c.makeup_course_id);
  if (activity.IsClass()) {
    v1::TrainingClass* seats = proto->mutable_training_class();
    seats->set_capacity(c.training_class.capacity);
    SetTimestamp(c.training_class.sign_up_open_time, seats->mutable_sign_up_open_time());
    SetTimestamp(c.training_class.sign_up_close_time, seats->mutable_sign_up_close_time());
    seats->set_plan_id(c.training_class.plan_id);
    seats->set_seated_count(activity.seated_count);
    seats->set_waiting_count(activity.waiting_count);
  }
}

void ToProto(const ClassSeat& seat, v1::ClassSeat* proto) {
  proto->set_activity_id(seat.activity_id);
  proto->set_member_id(seat.member_id);
  proto->set_state(static_cast<v1::SeatState>(seat.state));
  proto->set_waitlist_place(seat.waitlist_place);
  SetTimestamp(seat.sign_up_time, proto->mutable_sign_up_time());
  SetTimestamp(seat.seat_time, proto->mutable_seat_time());
  SetTimestamp(seat.withdraw_time, proto->mutable_withdraw_time());
  proto->set_reason(seat.reason);
  proto->set_member_name(seat.member_name);
}

void ToProto(const Activity& activity, v1::SignInSecret* proto) {
  proto->set_activity_id(activity.id);
  proto->set_secret(std::string(activity.sign_in_secret.begin(), activity.sign_in_secret.end()));
  proto->set_period_seconds(auth::kSignInCodePeriodSeconds);
  proto->set_digits(auth::kSignInCodeDigits);
  SetTimestamp(activity.content.sign_in_open_time, proto->mutable_sign_in_open_time());
  SetTimestamp(activity.content.sign_in_close_time, proto->mutable_sign_in_close_time());
  SetTimestamp(activity.content.sign_out_open_time, proto->mutable_sign_out_open_time());
  SetTimestamp(activity.content.sign_out_close_time, proto->mutable_sign_out_close_time());
}

void ToProto(const Attendance& attendance, v1::Attendance* proto) {
  proto->set_activity_id(attendance.activity_id);
  proto->set_member_id(attendance.member_id);
  proto->set_status(static_cast<v1::AttendanceStatus>(attendance.status));
  proto->set_sign_in_method(static_cast<v1::AttendanceMethod>(attendance.sign_in_method));
  SetTimestamp(attendance.sign_in_time, proto->mutable_sign_in_time());
  proto->set_sign_out_method(static_cast<v1::AttendanceMethod>(attendance.sign_out_method));
  SetTimestamp(attendance.sign_out_time, proto->mutable_sign_out_time());
  proto->set_kiosk_id(attendance.kiosk_id);
  proto->set_recorded_by(attendance.recorded_by);
  proto->set_reason(attendance.reason);
  proto->mutable_credited()->set_hundredths(attendance.credited_hundredths);
  SetTimestamp(attendance.update_time, proto->mutable_update_time());
  proto->set_member_name(attendance.member_name);
}

void ToProto(const OrganizationLife& life, v1::OrganizationalLife* proto) {
  proto->set_organization_id(life.organization.id);
  proto->set_organization_name(life.organization.name);
  proto->set_organization_kind(life.organization.kind);
  for (const CadenceStatus& cadence : life.cadences) {
    v1::CadenceStatus* out = proto->add_cadences();
    out->set_kind(static_cast<v1::ActivityKind>(cadence.kind));
    out->set_per_year(cadence.per_year);
    out->set_required(cadence.due.required);
    out->set_due_so_far(cadence.due.due);
    out->set_held(cadence.held);
    out->set_behind(cadence.behind());
  }
  proto->set_kinds_behind(life.kinds_behind);
  proto->set_shortfall(life.shortfall);
  for (const HeldActivity& held : life.activities) {
    v1::HeldActivity* out = proto->add_activities();
    out->set_activity_id(held.row.id);
    out->set_kind(static_cast<v1::ActivityKind>(held.row.kind));
    out->set_title(held.row.title);
    SetTimestamp(held.row.start_time, out->mutable_start_time());
    out->set_targeted_count(held.targeted);
    out->set_present_count(held.row.present);
    out->set_attendance_permille(
        held.targeted <= 0
            ? 0
            : static_cast<int32_t>(int64_t{held.row.present} * 1000 / held.targeted));
  }
}

std::vector<OfflineSignIn> SignInsFromProto(const v1::SyncKioskAttendanceRequest& request) {
  std::vector<OfflineSignIn> sign_ins;
  sign_ins.reserve(static_cast<size_t>(request.sign_ins_size()));
  for (const v1::KioskSignIn& proto : request.sign_ins()) {
    OfflineSignIn sign_in;
    sign_in.sign_in_id = proto.sign_in_id();
    sign_in.activity_id = proto.activity_id();
    sign_in.member_id = proto.member_id();
    sign_in.sign_out = proto.sign_out();
    sign_in.occur_time = TimeFromProto(proto.occur_time());
    sign_in.sent_time = TimeFromProto(proto.sent_time());
    sign_in.evidence = progress::EvidenceFromProto(proto.evidence());
    sign_ins.push_back(std::move(sign_in));
  }
  return sign_ins;
}

void ToProto(const OfflineSignInResult& result, v1::KioskSignInResult* proto) {
  proto->set_sign_in_id(result.sign_in_id);
  proto->set_outcome(static_cast<v1::KioskSignInOutcome>(result.outcome));
  proto->set_rejection(static_cast<v1::KioskSignInRejection>(result.rejection));
  proto->set_detail(result.detail);
  if (result.attendance.has_value()) ToProto(*result.attendance, proto->mutable_attendance());
}

}  // namespace lms::activity
