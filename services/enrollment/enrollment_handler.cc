#include "services/enrollment/enrollment_handler.h"

#include "services/enrollment/enrollment_mapping.h"

namespace lms::enrollment {
namespace {

absl::Status Respond(const absl::StatusOr<TrainingPlan>& plan, v1::TrainingPlan* response) {
  if (plan.ok()) ToProto(*plan, /*with_content=*/true, response);
  return plan.status();
}

absl::Status Respond(const absl::StatusOr<Enrollment>& enrollment, v1::Enrollment* response) {
  if (enrollment.ok()) ToProto(*enrollment, response);
  return enrollment.status();
}

}  // namespace

void EnrollmentHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("CreatePlan", *this, &EnrollmentHandler::CreatePlan);
  rpcs.Blocking("UpdatePlan", *this, &EnrollmentHandler::UpdatePlan);
  rpcs.Blocking("PublishPlan", *this, &EnrollmentHandler::PublishPlan);
  rpcs.Blocking("ClosePlan", *this, &EnrollmentHandler::ClosePlan);
  rpcs.Blocking("GetPlan", *this, &EnrollmentHandler::GetPlan);
  rpcs.Blocking("ListPlanVersions", *this, &EnrollmentHandler::ListPlanVersions);
  rpcs.Blocking("ListPlans", *this, &EnrollmentHandler::ListPlans);
  rpcs.Blocking("EnrollMembers", *this, &EnrollmentHandler::EnrollMembers);
  rpcs.Blocking("EnrollSelf", *this, &EnrollmentHandler::EnrollSelf);
  rpcs.Blocking("WithdrawEnrollment", *this, &EnrollmentHandler::WithdrawEnrollment);
  rpcs.Blocking("WaiveEnrollment", *this, &EnrollmentHandler::WaiveEnrollment);
  rpcs.Blocking("GetMyLearning", *this, &EnrollmentHandler::GetMyLearning);
  rpcs.Blocking("ListEnrollments", *this, &EnrollmentHandler::ListEnrollments);
}

absl::Status EnrollmentHandler::CreatePlan(const call::CallContext& call,
                                           const v1::CreatePlanRequest& request,
                                           v1::TrainingPlan* response) const {
  return Respond(plans_.Create(call, PlanFromProto(request.plan())), response);
}

absl::Status EnrollmentHandler::UpdatePlan(const call::CallContext& call,
                                           const v1::UpdatePlanRequest& request,
                                           v1::TrainingPlan* response) const {
  return Respond(plans_.Update(call, request.plan_id(), request.expected_version(),
                               PlanFromProto(request.plan()), request.change_reason()),
                 response);
}

absl::Status EnrollmentHandler::PublishPlan(const call::CallContext& call,
                                            const v1::PublishPlanRequest& request,
                                            v1::TrainingPlan* response) const {
  return Respond(plans_.Publish(call, request.plan_id(), request.expected_version()), response);
}

absl::Status EnrollmentHandler::ClosePlan(const call::CallContext& call,
                                          const v1::ClosePlanRequest& request,
                                          v1::TrainingPlan* response) const {
  return Respond(plans_.Close(call, request.plan_id(), request.expected_version()), response);
}

absl::Status EnrollmentHandler::GetPlan(const call::CallContext& call,
                                        const v1::GetPlanRequest& request,
                                        v1::TrainingPlan* response) const {
  return Respond(plans_.Get(call, request.plan_id(), request.published_version()), response);
}

absl::Status EnrollmentHandler::ListPlanVersions(const call::CallContext& call,
                                                 const v1::ListPlanVersionsRequest& request,
                                                 v1::ListPlanVersionsResponse* response) const {
  const absl::StatusOr<std::vector<PlanVersionInfo>> versions =
      plans_.ListVersions(call, request.plan_id());
  if (!versions.ok()) return versions.status();
  for (const PlanVersionInfo& version : *versions) ToProto(version, response->add_versions());
  return absl::OkStatus();
}

absl::Status EnrollmentHandler::ListPlans(const call::CallContext& call,
                                          const v1::ListPlansRequest& request,
                                          v1::ListPlansResponse* response) const {
  ListPlansInput input;
  input.organization_id = request.organization_id();
  input.year = request.year();
  input.state = static_cast<PlanState>(request.state());
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<PlanPage> page = plans_.List(call, input);
  if (!page.ok()) return page.status();
  for (const TrainingPlan& plan : page->plans) {
    ToProto(plan, /*with_content=*/false, response->add_plans());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status EnrollmentHandler::EnrollMembers(const call::CallContext& call,
                                              const v1::EnrollMembersRequest& request,
                                              v1::EnrollMembersResponse* response) const {
  const absl::StatusOr<EnrollMembersResult> result =
      enrollments_.EnrollMembers(call, EnrollMembersFromProto(request));
  if (result.ok()) ToProto(*result, response);
  return result.status();
}

absl::Status EnrollmentHandler::EnrollSelf(const call::CallContext& call,
                                           const v1::EnrollSelfRequest& request,
                                           v1::Enrollment* response) const {
  return Respond(enrollments_.EnrollSelf(call, request.course_id()), response);
}

absl::Status EnrollmentHandler::WithdrawEnrollment(const call::CallContext& call,
                                                   const v1::WithdrawEnrollmentRequest& request,
                                                   v1::Enrollment* response) const {
  return Respond(enrollments_.Withdraw(call, request.enrollment_id(), request.reason()), response);
}

absl::Status EnrollmentHandler::WaiveEnrollment(const call::CallContext& call,
                                                const v1::WaiveEnrollmentRequest& request,
                                                v1::Enrollment* response) const {
  return Respond(enrollments_.Waive(call, request.enrollment_id(), request.reason()), response);
}

absl::Status EnrollmentHandler::GetMyLearning(const call::CallContext& call,
                                              const v1::GetMyLearningRequest& request,
                                              v1::MyLearning* response) const {
  const absl::StatusOr<MyLearningView> view = enrollments_.GetMyLearning(call, request.member_id());
  if (view.ok()) ToProto(*view, response);
  return view.status();
}

absl::Status EnrollmentHandler::ListEnrollments(const call::CallContext& call,
                                                const v1::ListEnrollmentsRequest& request,
                                                v1::ListEnrollmentsResponse* response) const {
  ListEnrollmentsInput input;
  input.member_id = request.member_id();
  input.organization_id = request.organization_id();
  input.course_id = request.course_id();
  for (const int state : request.states()) {
    input.states.push_back(static_cast<EnrollmentState>(state));
  }
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<EnrollmentPage> page = enrollments_.List(call, input);
  if (!page.ok()) return page.status();
  for (const Enrollment& enrollment : page->enrollments) {
    ToProto(enrollment, response->add_enrollments());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace lms::enrollment
