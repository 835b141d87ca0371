#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/grpc/status_conversion.h"

namespace lms::grpc_util {

// Logs a finished call: every call at debug level (method and code; never the request,
// which may carry passwords), failures that mean a bug (INTERNAL, UNKNOWN) at error level
// with their message.
void LogCall(const auth::MethodPolicy& policy, const absl::Status& status);

// Finishes a call (unary or streaming reactor) with the mapped status, and logs it.
template <typename Reactor>
void FinishCall(Reactor* reactor, const auth::MethodPolicy& policy, const absl::Status& status) {
  LogCall(policy, status);
  reactor->Finish(ToGrpcStatus(status));
}

// Runs a call's work; an exception it throws becomes INTERNAL (logged with the method and
// what was thrown; the client learns only that it was an internal error). A bug in one
// call never ends the process or leaves the call unanswered.
[[nodiscard]] absl::Status RunGuarded(const auth::MethodPolicy& policy,
                                      absl::FunctionRef<absl::Status()> work);

}  // namespace lms::grpc_util
