#include "tools/admin/publish_plan_command.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/admin/progress_bar.h"

namespace lms::admin {
namespace {

std::unique_ptr<grpc::ClientContext> Context(const std::string& access_token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", access_token));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

absl::StatusOr<v1::TrainingPlan> RunPublishPlan(v1::EnrollmentService::Stub& stub,
                                                const std::string& access_token,
                                                const PublishPlanOptions& options,
                                                std::ostream& progress) {
  v1::GetPlanRequest get;
  get.set_plan_id(options.plan_id);
  v1::TrainingPlan plan;
  grpc::Status status = stub.GetPlan(Context(access_token).get(), get, &plan);
  if (!status.ok()) return FromGrpc(status, "reading the plan");
  v1::PublishPlanRequest publish;
  publish.set_request_id(absl::StrCat("publish-", options.plan_id, "-", plan.version()));
  publish.set_plan_id(options.plan_id);
  publish.set_expected_version(plan.version());
  status = stub.PublishPlan(Context(access_token).get(), publish, &plan);
  if (!status.ok()) return FromGrpc(status, "publishing");
  while (!options.no_wait && plan.assignment().state() == v1::PlanAssignment::STATE_ASSIGNING) {
    if (options.show_progress) {
      DrawProgress(progress, plan.assignment().members_assigned(),
                   plan.assignment().members_targeted(), "members");
    }
    std::this_thread::sleep_for(absl::ToChronoNanoseconds(options.poll_interval));
    status = stub.GetPlan(Context(access_token).get(), get, &plan);
    if (!status.ok()) return FromGrpc(status, "following the assignment");
  }
  if (options.show_progress && !options.no_wait) {
    DrawProgress(progress, plan.assignment().members_assigned(),
                 plan.assignment().members_targeted(), "members");
    progress << "\n";
  }
  return plan;
}

}  // namespace lms::admin
