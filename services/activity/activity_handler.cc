#include "services/activity/activity_handler.h"

#include "common/grpc/proto_time.h"
#include "services/activity/activity_mapping.h"

namespace lms::activity {

void ActivityHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("CreateActivity", *this, &ActivityHandler::CreateActivity);
  rpcs.Blocking("UpdateActivity", *this, &ActivityHandler::UpdateActivity);
  rpcs.Blocking("CancelActivity", *this, &ActivityHandler::CancelActivity);
  rpcs.Blocking("GetActivity", *this, &ActivityHandler::GetActivity);
  rpcs.Blocking("ListActivities", *this, &ActivityHandler::ListActivities);
  rpcs.Blocking("GetSignInSecret", *this, &ActivityHandler::GetSignInSecret);
  rpcs.Blocking("SignIn", *this, &ActivityHandler::SignIn);
  rpcs.Blocking("SignOut", *this, &ActivityHandler::SignOut);
  rpcs.Blocking("RecordAttendance", *this, &ActivityHandler::RecordAttendance);
  rpcs.Blocking("ListAttendance", *this, &ActivityHandler::ListAttendance);
  rpcs.Blocking("CloseActivity", *this, &ActivityHandler::CloseActivity);
  rpcs.Blocking("SignUpForClass", *this, &ActivityHandler::SignUpForClass);
  rpcs.Blocking("WithdrawFromClass", *this, &ActivityHandler::WithdrawFromClass);
  rpcs.Blocking("ListClassSeats", *this, &ActivityHandler::ListClassSeats);
  rpcs.Blocking("SyncKioskAttendance", *this, &ActivityHandler::SyncKioskAttendance);
  rpcs.Blocking("ListOrganizationalLife", *this, &ActivityHandler::ListOrganizationalLife);
}

absl::Status ActivityHandler::RespondActivity(const absl::StatusOr<Activity>& activity,
                                              v1::Activity* response) const {
  if (activity.ok()) ToProto(*activity, clock_.Now(), response);
  return activity.status();
}

absl::Status ActivityHandler::CreateActivity(const call::CallContext& call,
                                             const v1::CreateActivityRequest& request,
                                             v1::Activity* response) const {
  return RespondActivity(activities_.Create(call, request.activity().organization_id(),
                                            static_cast<ActivityKind>(request.activity().kind()),
                                            ContentFromProto(request.activity())),
                         response);
}

absl::Status ActivityHandler::UpdateActivity(const call::CallContext& call,
                                             const v1::UpdateActivityRequest& request,
                                             v1::Activity* response) const {
  return RespondActivity(
      activities_.Update(call, request.activity_id(), request.expected_version(),
                         ContentFromProto(request.activity()), request.change_reason()),
      response);
}

absl::Status ActivityHandler::CancelActivity(const call::CallContext& call,
                                             const v1::CancelActivityRequest& request,
                                             v1::Activity* response) const {
  return RespondActivity(
      activities_.Cancel(call, request.activity_id(), request.expected_version(), request.reason()),
      response);
}

absl::Status ActivityHandler::GetActivity(const call::CallContext& call,
                                          const v1::GetActivityRequest& request,
                                          v1::Activity* response) const {
  return RespondActivity(activities_.Get(call, request.activity_id(), request.version()), response);
}

absl::Status ActivityHandler::ListActivities(const call::CallContext& call,
                                             const v1::ListActivitiesRequest& request,
                                             v1::ListActivitiesResponse* response) const {
  ListActivitiesInput input;
  input.organization_id = request.organization_id();
  if (request.has_from_date()) input.from_day = grpc_util::DayFromProto(request.from_date());
  if (request.has_to_date()) input.to_day = grpc_util::DayFromProto(request.to_date());
  input.include_subtree = request.include_subtree();
  input.for_me = request.for_me();
  for (const int kind : request.kinds()) input.kinds.push_back(static_cast<ActivityKind>(kind));
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<ActivityPage> page = activities_.List(call, input);
  if (!page.ok()) return page.status();
  const absl::Time now = clock_.Now();
  for (const Activity& activity : page->activities) {
    ToProto(activity, now, response->add_activities());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status ActivityHandler::GetSignInSecret(const call::CallContext& call,
                                              const v1::GetSignInSecretRequest& request,
                                              v1::SignInSecret* response) const {
  const absl::StatusOr<Activity> activity = activities_.SignInSecret(call, request.activity_id());
  if (activity.ok()) ToProto(*activity, response);
  return activity.status();
}

absl::Status ActivityHandler::SignIn(const call::CallContext& call,
                                     const v1::ActivitySignInRequest& request,
                                     v1::Attendance* response) const {
  const absl::StatusOr<Attendance> attendance =
      attendance_.SignInOrOut(call, request.activity_id(), request.code(), false);
  if (attendance.ok()) ToProto(*attendance, response);
  return attendance.status();
}

absl::Status ActivityHandler::SignOut(const call::CallContext& call,
                                      const v1::ActivitySignInRequest& request,
                                      v1::Attendance* response) const {
  const absl::StatusOr<Attendance> attendance =
      attendance_.SignInOrOut(call, request.activity_id(), request.code(), true);
  if (attendance.ok()) ToProto(*attendance, response);
  return attendance.status();
}

absl::Status ActivityHandler::RecordAttendance(const call::CallContext& call,
                                               const v1::RecordAttendanceRequest& request,
                                               v1::RecordAttendanceResponse* response) const {
  const absl::StatusOr<RecordedAttendance> recorded = attendance_.Record(
      call, request.activity_id(), {request.member_ids().begin(), request.member_ids().end()},
      static_cast<AttendanceStatus>(request.status()), request.reason());
  if (!recorded.ok()) return recorded.status();
  for (const Attendance& attendance : recorded->attendances) {
    ToProto(attendance, response->add_attendances());
  }
  response->mutable_credited()->set_hundredths(recorded->credits.credited_hundredths);
  response->mutable_reversed()->set_hundredths(-recorded->credits.reversed_hundredths);
  return absl::OkStatus();
}

absl::Status ActivityHandler::ListAttendance(const call::CallContext& call,
                                             const v1::ListAttendanceRequest& request,
                                             v1::ListAttendanceResponse* response) const {
  const absl::StatusOr<AttendancePage> page =
      attendance_.List(call, request.activity_id(), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const Attendance& attendance : page->attendances) {
    ToProto(attendance, response->add_attendances());
  }
  response->set_next_page_token(page->next_page_token);
  response->set_targeted_count(page->targeted);
  response->set_present_count(page->counts.present);
  response->set_excused_count(page->counts.excused);
  response->set_pending_count(page->counts.pending);
  return absl::OkStatus();
}

absl::Status ActivityHandler::CloseActivity(const call::CallContext& call,
                                            const v1::CloseActivityRequest& request,
                                            v1::Activity* response) const {
  return RespondActivity(attendance_.Close(call, request.activity_id(), request.expected_version()),
                         response);
}

absl::Status ActivityHandler::SignUpForClass(const call::CallContext& call,
                                             const v1::SignUpForClassRequest& request,
                                             v1::ClassSeat* response) const {
  const absl::StatusOr<ClassSeat> seat =
      seats_.SignUp(call, request.activity_id(), request.member_id());
  if (seat.ok()) ToProto(*seat, response);
  return seat.status();
}

absl::Status ActivityHandler::WithdrawFromClass(const call::CallContext& call,
                                                const v1::WithdrawFromClassRequest& request,
                                                v1::WithdrawFromClassResponse* response) const {
  const absl::StatusOr<Withdrawal> withdrawal =
      seats_.Withdraw(call, request.activity_id(), request.member_id(), request.reason());
  if (!withdrawal.ok()) return withdrawal.status();
  ToProto(withdrawal->seat, response->mutable_seat());
  if (withdrawal->promoted.has_value())
    ToProto(*withdrawal->promoted, response->mutable_promoted());
  return absl::OkStatus();
}

absl::Status ActivityHandler::ListClassSeats(const call::CallContext& call,
                                             const v1::ListClassSeatsRequest& request,
                                             v1::ListClassSeatsResponse* response) const {
  const absl::StatusOr<SeatPage> page =
      seats_.List(call, request.activity_id(), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const ClassSeat& seat : page->seats) ToProto(seat, response->add_seats());
  response->set_next_page_token(page->next_page_token);
  response->set_seated_count(page->counts.seated);
  response->set_waiting_count(page->counts.waiting);
  return absl::OkStatus();
}

absl::Status ActivityHandler::SyncKioskAttendance(const call::CallContext& call,
                                                  const v1::SyncKioskAttendanceRequest& request,
                                                  v1::SyncKioskAttendanceResponse* response) const {
  const absl::StatusOr<std::vector<OfflineSignInResult>> results =
      kiosk_sync_.Sync(call, SignInsFromProto(request));
  if (!results.ok()) return results.status();
  for (const OfflineSignInResult& result : *results) ToProto(result, response->add_results());
  return absl::OkStatus();
}

absl::Status ActivityHandler::ListOrganizationalLife(
    const call::CallContext& call, const v1::ListOrganizationalLifeRequest& request,
    v1::ListOrganizationalLifeResponse* response) const {
  OrganizationalLifeInput input;
  input.organization_id = request.organization_id();
  if (request.has_from_date()) input.from_day = grpc_util::DayFromProto(request.from_date());
  if (request.has_to_date()) input.to_day = grpc_util::DayFromProto(request.to_date());
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<OrganizationalLifePage> page = life_.List(call, input);
  if (!page.ok()) return page.status();
  for (const OrganizationLife& life : page->organizations) {
    ToProto(life, response->add_organizations());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace lms::activity
