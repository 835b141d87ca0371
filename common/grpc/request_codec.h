#pragma once

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace lms::grpc_util {

// Decodes a raw request. gRPC's own decoder answers a request it cannot parse (a text
// field that is not UTF-8, say) with UNIMPLEMENTED, which tells the client nothing true;
// decoding here makes it INVALID_ARGUMENT naming the message type.
template <typename Request>
[[nodiscard]] absl::StatusOr<Request> DecodeRequest(const grpc::ByteBuffer& raw) {
  grpc::ByteBuffer copy(raw);  // Deserialize consumes its buffer; slices are ref-counted.
  Request request;
  if (!grpc::SerializationTraits<Request>::Deserialize(&copy, &request).ok()) {
    return absl::InvalidArgumentError(absl::StrCat("request is not a valid ",
                                                   Request::descriptor()->full_name(),
                                                   ": malformed, or a text field is not UTF-8"));
  }
  return request;
}

template <typename Response>
[[nodiscard]] absl::Status EncodeResponse(const Response& response, grpc::ByteBuffer* raw) {
  bool own_buffer = false;
  const grpc::Status status =
      grpc::SerializationTraits<Response>::Serialize(response, raw, &own_buffer);
  if (!status.ok()) return absl::InternalError("cannot encode the response");
  return absl::OkStatus();
}

}  // namespace lms::grpc_util
