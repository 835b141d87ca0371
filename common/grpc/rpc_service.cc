#include "common/grpc/rpc_service.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lms::grpc_util {
namespace {

using google::protobuf::MethodDescriptor;

grpc::internal::RpcMethod::RpcType TypeOf(const MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) {
    return grpc::internal::RpcMethod::BIDI_STREAMING;
  }
  if (method.client_streaming()) return grpc::internal::RpcMethod::CLIENT_STREAMING;
  if (method.server_streaming()) return grpc::internal::RpcMethod::SERVER_STREAMING;
  return grpc::internal::RpcMethod::NORMAL_RPC;
}

}  // namespace

RpcService::RpcService(absl::string_view service_name, const UnaryCallRunner& runner)
    : name_(service_name), runner_(runner) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name_);
  if (service == nullptr) {
    problems_.push_back(absl::StrCat("no service ", name_, " in the contracts"));
    return;
  }
  // Every slot exists before any method is added: gRPC keeps pointers into the paths.
  slots_.resize(static_cast<size_t>(service->method_count()));
  for (int i = 0; i < service->method_count(); ++i) {
    Slot& slot = slots_[static_cast<size_t>(i)];
    slot.descriptor = service->method(i);
    slot.index = i;
    slot.path = absl::StrCat("/", name_, "/", slot.descriptor->name());
  }
  for (const Slot& slot : slots_) {
    AddMethod(
        new grpc::internal::RpcServiceMethod(slot.path.c_str(), TypeOf(*slot.descriptor), nullptr));
  }
}

const RpcService::Slot* RpcService::Claim(absl::string_view method,
                                          const google::protobuf::Descriptor* request,
                                          const google::protobuf::Descriptor* response, Shape shape,
                                          bool run_inline) {
  const auto it = std::find_if(slots_.begin(), slots_.end(),
                               [&](const Slot& slot) { return slot.descriptor->name() == method; });
  const std::string full_name = absl::StrCat(name_, ".", method);
  if (it == slots_.end()) {
    problems_.push_back(absl::StrCat(full_name, " is bound but the contract has no such RPC"));
    return nullptr;
  }
  Slot& slot = *it;
  const size_t before = problems_.size();
  if (slot.bound) problems_.push_back(absl::StrCat(full_name, " is bound twice"));
  if (slot.descriptor->input_type() != request) {
    problems_.push_back(absl::StrCat(full_name, " takes ",
                                     slot.descriptor->input_type()->full_name(),
                                     ", bound to a handler of ", request->full_name()));
  }
  if (slot.descriptor->output_type() != response) {
    problems_.push_back(absl::StrCat(full_name, " returns ",
                                     slot.descriptor->output_type()->full_name(),
                                     ", bound to a handler of ", response->full_name()));
  }
  if (slot.descriptor->client_streaming() != (shape == Shape::kClientStream) ||
      slot.descriptor->server_streaming() != (shape == Shape::kServerStream)) {
    const char* bound = shape == Shape::kClientStream   ? "a client stream"
                        : shape == Shape::kServerStream ? "a server stream"
                                                        : "a unary call";
    problems_.push_back(absl::StrCat(full_name, " is bound as ", bound, " but declared otherwise"));
  }
  absl::StatusOr<auth::MethodPolicy> policy = auth::PolicyFor(name_, method);
  if (!policy.ok()) {
    problems_.push_back(std::string(policy.status().message()));
  } else if (run_inline && policy->HasScope()) {
    problems_.push_back(absl::StrCat(full_name,
                                     " names scoped fields, whose check reads the database: "
                                     "bind it Blocking, not Inline"));
  }
  if (problems_.size() != before) return nullptr;
  slot.policy = std::make_unique<const auth::MethodPolicy>(*std::move(policy));
  slot.bound = true;
  return &slot;
}

std::vector<const auth::MethodPolicy*> RpcService::policies() const {
  std::vector<const auth::MethodPolicy*> policies;
  for (const Slot& slot : slots_) {
    if (slot.policy != nullptr) policies.push_back(slot.policy.get());
  }
  return policies;
}

absl::Status RpcService::Verify() const {
  std::vector<std::string> problems = problems_;
  for (const Slot& slot : slots_) {
    if (!slot.bound)
      problems.push_back(absl::StrCat(slot.descriptor->full_name(), " is not bound"));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InternalError(absl::StrJoin(problems, "; "));
}

}  // namespace lms::grpc_util
