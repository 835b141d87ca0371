#include "common/auth/method_policy.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "lms/v1/options.pb.h"

namespace lms::auth {

bool MethodPolicy::Allows(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

absl::StatusOr<MethodPolicy> PolicyFor(absl::string_view service, absl::string_view method) {
  const google::protobuf::ServiceDescriptor* service_descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(service));
  const google::protobuf::MethodDescriptor* descriptor =
      service_descriptor == nullptr ? nullptr
                                    : service_descriptor->FindMethodByName(std::string(method));
  if (descriptor == nullptr) {
    return absl::InternalError(absl::StrCat("no RPC ", service, ".", method));
  }
  if (!descriptor->options().HasExtension(lms::v1::access)) {
    return absl::InternalError(
        absl::StrCat("RPC ", descriptor->full_name(), " declares no (lms.v1.access) policy"));
  }
  const lms::v1::AccessPolicy& access = descriptor->options().GetExtension(lms::v1::access);
  MethodPolicy policy;
  policy.full_name = descriptor->full_name();
  policy.is_public = access.public_();
  for (const int role : access.roles()) policy.roles.push_back(static_cast<Role>(role));
  if (!policy.is_public && policy.roles.empty()) {
    return absl::InternalError(
        absl::StrCat("RPC ", descriptor->full_name(), " allows no role and is not public"));
  }
  return policy;
}

MethodPolicy RequirePolicy(absl::string_view service, absl::string_view method) {
  absl::StatusOr<MethodPolicy> policy = PolicyFor(service, method);
  if (!policy.ok()) {
    std::cerr << "fatal: " << policy.status().message() << "\n";
    std::abort();
  }
  return *std::move(policy);
}

}  // namespace lms::auth
