#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/enrollment.pb.h"
#include "services/enrollment/enrollment_service.h"
#include "services/enrollment/plan_service.h"

namespace lms::enrollment {

// gRPC glue for lms.v1.EnrollmentService: proto in, domain call, proto out; every RPC
// runs on the worker pool. Thread-safe.
class EnrollmentHandler final {
 public:
  EnrollmentHandler(const PlanService& plans, const EnrollmentService& enrollments)
      : plans_(plans), enrollments_(enrollments) {}

  // Binds every RPC of lms.v1.EnrollmentService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status CreatePlan(const call::CallContext& call, const v1::CreatePlanRequest& request,
                          v1::TrainingPlan* response) const;
  absl::Status UpdatePlan(const call::CallContext& call, const v1::UpdatePlanRequest& request,
                          v1::TrainingPlan* response) const;
  absl::Status PublishPlan(const call::CallContext& call, const v1::PublishPlanRequest& request,
                           v1::TrainingPlan* response) const;
  absl::Status ClosePlan(const call::CallContext& call, const v1::ClosePlanRequest& request,
                         v1::TrainingPlan* response) const;
  absl::Status GetPlan(const call::CallContext& call, const v1::GetPlanRequest& request,
                       v1::TrainingPlan* response) const;
  absl::Status ListPlanVersions(const call::CallContext& call,
                                const v1::ListPlanVersionsRequest& request,
                                v1::ListPlanVersionsResponse* response) const;
  absl::Status ListPlans(const call::CallContext& call, const v1::ListPlansRequest& request,
                         v1::ListPlansResponse* response) const;
  absl::Status EnrollMembers(const call::CallContext& call, const v1::EnrollMembersRequest& request,
                             v1::EnrollMembersResponse* response) const;
  absl::Status EnrollSelf(const call::CallContext& call, const v1::EnrollSelfRequest& request,
                          v1::Enrollment* response) const;
  absl::Status WithdrawEnrollment(const call::CallContext& call,
                                  const v1::WithdrawEnrollmentRequest& request,
                                  v1::Enrollment* response) const;
  absl::Status WaiveEnrollment(const call::CallContext& call,
                               const v1::WaiveEnrollmentRequest& request,
                               v1::Enrollment* response) const;
  absl::Status GetMyLearning(const call::CallContext& call, const v1::GetMyLearningRequest& request,
                             v1::MyLearning* response) const;
  absl::Status ListEnrollments(const call::CallContext& call,
                               const v1::ListEnrollmentsRequest& request,
                               v1::ListEnrollmentsResponse* response) const;

 private:
  const PlanService& plans_;
  const EnrollmentService& enrollments_;
};

}  // namespace lms::enrollment
