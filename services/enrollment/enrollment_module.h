#pragma once

#include <memory>
#include <vector>

#include "common/outbox/outbox_consumer.h"
#include "common/sched/periodic_task.h"
#include "services/enrollment/enrollment_handler.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/enrollment_service.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/member_reconciler.h"
#include "services/enrollment/plan_assigner.h"
#include "services/enrollment/plan_repository.h"
#include "services/enrollment/plan_service.h"
#include "services/server/service_module.h"

namespace lms::enrollment {

// The enrolment service's object graph inside a server: repositories, services, handler,
// the object kinds it owns ("plan", owned by its organisation; "enrollment", owned by its
// member), and two background tasks: "plan_assignment" runs publications' assignment
// jobs, "enrollment_outbox" reacts to member and organisation changes (outbox consumer
// "enrollment"). Both resume after a restart from what is committed.
class EnrollmentModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<EnrollmentModule>(runtime);
  }
  explicit EnrollmentModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override {
    return {assignment_task_.get(), outbox_task_.get()};
  }

 private:
  const PlanRepository plans_{};
  const EnrollmentRepository enrollments_{};
  const MemberDirectory members_{};
  PlanService plan_service_;
  EnrollmentService enrollment_service_;
  PlanAssigner assigner_;
  MemberReconciler reconciler_;
  outbox::OutboxConsumer consumer_;
  EnrollmentHandler handler_;
  grpc_util::RpcService rpcs_;
  std::unique_ptr<sched::PeriodicTask> assignment_task_;
  std::unique_ptr<sched::PeriodicTask> outbox_task_;
};

}  // namespace lms::enrollment
