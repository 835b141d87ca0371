#include "common/grpc/call_log.h"

#include <exception>

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

absl::Status RunGuarded(const auth::MethodPolicy& policy, absl::FunctionRef<absl::Status()> work) {
  try {
    return work();
  } catch (const std::exception& e) {
    log::Error("call_threw", {{"method", policy.full_name}, {"error", e.what()}});
  } catch (...) {
    log::Error("call_threw", {{"method", policy.full_name}, {"error", "unknown exception"}});
  }
  return absl::InternalError("internal error: the server logged it");
}

}  // namespace lms::grpc_util
