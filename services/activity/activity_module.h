#pragma once

#include <memory>
#include <vector>

#include "common/sched/periodic_task.h"
#include "services/activity/activity_handler.h"
#include "services/activity/activity_repository.h"
#include "services/activity/activity_service.h"
#include "services/activity/attendance_credits.h"
#include "services/activity/attendance_service.h"
#include "services/activity/class_seats.h"
#include "services/activity/kiosk_attendance_sync.h"
#include "services/activity/makeup_study.h"
#include "services/activity/organizational_life.h"
#include "services/enrollment/member_directory.h"
#include "services/progress/hours_ledger.h"
#include "services/server/service_module.h"

namespace lms::activity {

// The activity service's object graph inside a server; the object kind it owns
// ("activity", owned by its organisation); and the task "activity_makeup", which credits
// make-up study (补学) within a minute of the course's completion.
class ActivityModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<ActivityModule>(runtime);
  }
  explicit ActivityModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override { return {makeup_task_.get()}; }

 private:
  const ActivityRepository activities_{};
  const progress::HoursLedger ledger_{};
  const enrollment::MemberDirectory members_{};
  const AttendanceCredits credits_{ledger_};
  ActivityService activity_service_;
  AttendanceService attendance_service_;
  const ClassSeatRepository seat_rows_{};
  ClassSeats seats_;
  progress::ProgressRulesSource rules_;
  const progress::OfflineRepository offline_{};
  const progress::OfflineEvidenceChecker evidence_;
  KioskAttendanceSync kiosk_sync_;
  OrganizationalLifeReport life_;
  ActivityHandler handler_;
  grpc_util::RpcService rpcs_;
  const MakeUpStudy makeup_;
  std::unique_ptr<sched::PeriodicTask> makeup_task_;
};

}  // namespace lms::activity
