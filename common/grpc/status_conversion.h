#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace lms::grpc_util {

// The only place an absl::Status becomes a grpc::Status. Codes share google.rpc.Code
// numbering; a BadRequest payload travels as google.rpc.Status in the
// `grpc-status-details-bin` trailer so clients can read each bad field.
[[nodiscard]] grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace lms::grpc_util
