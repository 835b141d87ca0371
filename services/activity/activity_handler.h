#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "common/time/clock.h"
#include "lms/v1/activity.pb.h"
#include "services/activity/activity_service.h"
#include "services/activity/attendance_service.h"
#include "services/activity/class_seats.h"
#include "services/activity/kiosk_attendance_sync.h"
#include "services/activity/organizational_life.h"

namespace lms::activity {

// gRPC glue for lms.v1.ActivityService: proto in, domain call, proto out; every RPC runs
// on the worker pool. Thread-safe.
class ActivityHandler final {
 public:
  ActivityHandler(const Clock& clock, const ActivityService& activities,
                  const AttendanceService& attendance, const ClassSeats& seats,
                  const KioskAttendanceSync& kiosk_sync, const OrganizationalLifeReport& life)
      : clock_(clock),
        activities_(activities),
        attendance_(attendance),
        seats_(seats),
        kiosk_sync_(kiosk_sync),
        life_(life) {}

  // Binds every RPC of lms.v1.ActivityService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status CreateActivity(const call::CallContext& call,
                              const v1::CreateActivityRequest& request,
                              v1::Activity* response) const;
  absl::Status UpdateActivity(const call::CallContext& call,
                              const v1::UpdateActivityRequest& request,
                              v1::Activity* response) const;
  absl::Status CancelActivity(const call::CallContext& call,
                              const v1::CancelActivityRequest& request,
                              v1::Activity* response) const;
  absl::Status GetActivity(const call::CallContext& call, const v1::GetActivityRequest& request,
                           v1::Activity* response) const;
  absl::Status ListActivities(const call::CallContext& call,
                              const v1::ListActivitiesRequest& request,
                              v1::ListActivitiesResponse* response) const;
  absl::Status GetSignInSecret(const call::CallContext& call,
                               const v1::GetSignInSecretRequest& request,
                               v1::SignInSecret* response) const;
  absl::Status SignIn(const call::CallContext& call, const v1::ActivitySignInRequest& request,
                      v1::Attendance* response) const;
  absl::Status SignOut(const call::CallContext& call, const v1::ActivitySignInRequest& request,
                       v1::Attendance* response) const;
  absl::Status RecordAttendance(const call::CallContext& call,
                                const v1::RecordAttendanceRequest& request,
                                v1::RecordAttendanceResponse* response) const;
  absl::Status ListAttendance(const call::CallContext& call,
                              const v1::ListAttendanceRequest& request,
                              v1::ListAttendanceResponse* response) const;
  absl::Status CloseActivity(const call::CallContext& call, const v1::CloseActivityRequest& request,
                             v1::Activity* response) const;
  absl::Status SignUpForClass(const call::CallContext& call,
                              const v1::SignUpForClassRequest& request,
                              v1::ClassSeat* response) const;
  absl::Status WithdrawFromClass(const call::CallContext& call,
                                 const v1::WithdrawFromClassRequest& request,
                                 v1::WithdrawFromClassResponse* response) const;
  absl::Status ListClassSeats(const call::CallContext& call,
                              const v1::ListClassSeatsRequest& request,
                              v1::ListClassSeatsResponse* response) const;
  absl::Status SyncKioskAttendance(const call::CallContext& call,
                                   const v1::SyncKioskAttendanceRequest& request,
                                   v1::SyncKioskAttendanceResponse* response) const;
  absl::Status ListOrganizationalLife(const call::CallContext& call,
                                      const v1::ListOrganizationalLifeRequest& request,
                                      v1::ListOrganizationalLifeResponse* response) const;

 private:
  absl::Status RespondActivity(const absl::StatusOr<Activity>& activity,
                               v1::Activity* response) const;

  const Clock& clock_;
  const ActivityService& activities_;
  const AttendanceService& attendance_;
  const ClassSeats& seats_;
  const KioskAttendanceSync& kiosk_sync_;
  const OrganizationalLifeReport& life_;
};

}  // namespace lms::activity
