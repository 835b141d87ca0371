#include "common/grpc/unary_call_runner.h"

#include "common/validation/request_checks.h"

namespace lms::grpc_util {

absl::StatusOr<call::CallContext> UnaryCallRunner::BeginStream(
    const grpc::CallbackServerContext& context, const auth::MethodPolicy& policy,
    absl::Duration max_deadline) const {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(context, policy);
  if (!caller.ok()) return caller.status();
  call::CallContext call;
  call.caller = *std::move(caller);
  call.method = policy.full_name;
  if (before_commit_) call.before_commit = &before_commit_;
  // A client without a deadline still gets one: no call may hold a connection forever.
  call.deadline = std::min(absl::FromChrono(context.deadline()), absl::Now() + max_deadline);
  return call;
}

absl::Status UnaryCallRunner::ReadRequestId(const auth::MethodPolicy& policy,
                                            const google::protobuf::Message& request,
                                            call::CallContext& call) {
  call.request_id = policy.RequestId(request);
  return validation::CheckRequestIdStatus(call.request_id);
}

absl::Status UnaryCallRunner::CheckScope(const auth::MethodPolicy& policy,
                                         const google::protobuf::Message& request,
                                         call::CallContext& call) const {
  if (!policy.HasScope()) return absl::OkStatus();
  call.scoped_ids = policy.ScopedIds(request);
  call.scope_checker = &scope_checker_;
  return scope_checker_.Check(call.caller, call.scoped_ids, call.deadline, policy.writes);
}

void UnaryCallRunner::Post(WorkerPool& pool, grpc::ServerUnaryReactor* reactor,
                           const auth::MethodPolicy& policy, absl::Time deadline,
                           std::function<absl::Status()> work) {
  const bool posted = pool.TryPost([reactor, &policy, deadline, work = std::move(work)]() {
    if (absl::Now() >= deadline) {
      FinishCall(reactor, policy, absl::DeadlineExceededError("deadline exceeded while queued"));
      return;
    }
    FinishCall(reactor, policy, RunGuarded(policy, work));
  });
  if (!posted) {
    FinishCall(reactor, policy, absl::ResourceExhaustedError(pool.busy_message()));
  }
}

}  // namespace lms::grpc_util
