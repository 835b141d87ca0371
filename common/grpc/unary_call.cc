#include "common/grpc/unary_call.h"

namespace lms::grpc_util {

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
