#pragma once

#include "lms/v1/activity.pb.h"
#include "services/activity/activity.h"
#include "services/activity/attendance_service.h"
#include "services/activity/kiosk_attendance_sync.h"
#include "services/activity/organizational_life.h"

namespace lms::activity {

// Proto <-> domain for lms.v1.ActivityService. No rules here.
[[nodiscard]] ActivityContent ContentFromProto(const v1::Activity& proto);
// The activity as members and admins see it: never its secret.
void ToProto(const Activity& activity, absl::Time now, v1::Activity* proto);
// The secret, for GetSignInSecret alone.
void ToProto(const Activity& activity, v1::SignInSecret* proto);
void ToProto(const Attendance& attendance, v1::Attendance* proto);
void ToProto(const ClassSeat& seat, v1::ClassSeat* proto);
void ToProto(const OrganizationLife& life, v1::OrganizationalLife* proto);
[[nodiscard]] std::vector<OfflineSignIn> SignInsFromProto(
    const v1::SyncKioskAttendanceRequest& request);
void ToProto(const OfflineSignInResult& result, v1::KioskSignInResult* proto);

}  // namespace lms::activity
