#include "common/grpc/unary_call.h"

#include "absl/status/status.h"
#include "common/log/log.h"

namespace lms::grpc_util {

void FinishCall(grpc::ServerUnaryReactor* reactor, const auth::MethodPolicy& policy,
                const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    log::Error("call_failed", {{"method", policy.full_name},
                               {"code", absl::StatusCodeToString(status.code())},
                               {"error", std::string(status.message())}});
  } else {
    log::Debug("call",
               {{"method", policy.full_name}, {"code", absl::StatusCodeToString(status.code())}});
  }
  reactor->Finish(ToGrpcStatus(status));
}

absl::StatusOr<CallContext> UnaryCallRunner::Begin(const grpc::CallbackServerContext& context,
                                                   const auth::MethodPolicy& policy) const {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(context, policy);
  if (!caller.ok()) return caller.status();
  CallContext call;
  call.caller = *std::move(caller);
  // A client without a deadline still gets one: no call may hold a connection forever.
  call.deadline = std::min(absl::FromChrono(context.deadline()), absl::Now() + max_deadline_);
  return call;
}

}  // namespace lms::grpc_util
