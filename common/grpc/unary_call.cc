#include "common/grpc/unary_call.h"

#include "absl/status/status.h"
#include "common/log/log.h"

namespace lms::grpc_util {

void LogCall(const auth::MethodPolicy& policy, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    log::Error("call_failed", {{"method", policy.full_name},
                               {"code", absl::StatusCodeToString(status.code())},
                               {"error", std::string(status.message())}});
  } else {
    log::Debug("call",
               {{"method", policy.full_name}, {"code", absl::StatusCodeToString(status.code())}});
  }
}

absl::StatusOr<CallContext> UnaryCallRunner::Begin(const grpc::CallbackServerContext& context,
                                                   const auth::MethodPolicy& policy) const {
  return BeginStream(context, policy, max_deadline_);
}

absl::StatusOr<CallContext> UnaryCallRunner::BeginStream(const grpc::CallbackServerContext& context,
                                                         const auth::MethodPolicy& policy,
                                                         absl::Duration max_deadline) const {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(context, policy);
  if (!caller.ok()) return caller.status();
  CallContext call;
  call.caller = *std::move(caller);
  // A client without a deadline still gets one: no call may hold a connection forever.
  call.deadline = std::min(absl::FromChrono(context.deadline()), absl::Now() + max_deadline);
  return call;
}

}  // namespace lms::grpc_util
