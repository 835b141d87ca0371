#include "common/auth/method_policy.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lms/v1/options.pb.h"

namespace lms::auth {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Resolves "member.organization_id" against the request type: singular messages down to
// an int64 leaf, singular or repeated.
absl::StatusOr<MethodPolicy::ScopedField> ResolveField(const Descriptor& request,
                                                       absl::string_view dotted, ScopeKind kind) {
  MethodPolicy::ScopedField field{kind, {}, ""};
  const Descriptor* type = &request;
  for (const absl::string_view name : absl::StrSplit(dotted, '.')) {
    const FieldDescriptor* descriptor =
        type == nullptr ? nullptr : type->FindFieldByName(std::string(name));
    if (descriptor == nullptr || (descriptor->is_repeated() && descriptor->message_type())) {
      return absl::InternalError(absl::StrCat(request.full_name(), " has no field `", dotted,
                                              "` (through singular messages) named in its access"
                                              " policy"));
    }
    field.path.push_back(descriptor);
    type = descriptor->message_type();
  }
  if (field.path.back()->cpp_type() != FieldDescriptor::CPPTYPE_INT64) {
    return absl::InternalError(
        absl::StrCat(request.full_name(), ".", dotted, " in an access policy is not an int64"));
  }
  return field;
}

}  // namespace

bool MethodPolicy::Allows(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<ScopedId> MethodPolicy::ScopedIds(const google::protobuf::Message& request) const {
  std::vector<ScopedId> ids;
  for (const ScopedField& field : scoped_fields) {
    const google::protobuf::Message* message = &request;
    for (size_t i = 0; i + 1 < field.path.size(); ++i) {
      const google::protobuf::Reflection* reflection = message->GetReflection();
      // An absent sub-message holds only zeros: nothing to check.
      if (!reflection->HasField(*message, field.path[i])) {
        message = nullptr;
        break;
      }
      message = &reflection->GetMessage(*message, field.path[i]);
    }
    if (message == nullptr) continue;
    const google::protobuf::Reflection* reflection = message->GetReflection();
    const FieldDescriptor* leaf = field.path.back();
    if (leaf->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, leaf); ++i) {
        const int64_t id = reflection->GetRepeatedInt64(*message, leaf, i);
        if (id != 0) ids.push_back({field.kind, id, field.object_kind});
      }
    } else if (const int64_t id = reflection->GetInt64(*message, leaf); id != 0) {
      ids.push_back({field.kind, id, field.object_kind});
    }
  }
  return ids;
}

std::string MethodPolicy::RequestId(const google::protobuf::Message& request) const {
  if (request_id_field == nullptr) return "";
  return request.GetReflection()->GetString(request, request_id_field);
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
  policy.kiosk_member_sessions = access.kiosk_member_sessions();
  policy.writes = access.writes();
  const FieldDescriptor* request_id = descriptor->input_type()->FindFieldByName("request_id");
  if (request_id != nullptr && !request_id->is_repeated() &&
      request_id->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    policy.request_id_field = request_id;
  }
  for (const int role : access.roles()) policy.roles.push_back(static_cast<Role>(role));
  if (!policy.is_public && policy.roles.empty()) {
    return absl::InternalError(
        absl::StrCat("RPC ", descriptor->full_name(), " allows no role and is not public"));
  }
  const auto add_fields = [&](const auto& names, ScopeKind kind) -> absl::Status {
    for (const std::string& name : names) {
      absl::StatusOr<MethodPolicy::ScopedField> field =
          ResolveField(*descriptor->input_type(), name, kind);
      if (!field.ok()) return field.status();
      policy.scoped_fields.push_back(*std::move(field));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = add_fields(access.organization_fields(), ScopeKind::kOrganization);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = add_fields(access.member_fields(), ScopeKind::kMember); !s.ok()) return s;
  if (absl::Status s = add_fields(access.kiosk_fields(), ScopeKind::kKiosk); !s.ok()) return s;
  for (const lms::v1::ObjectField& object : access.object_fields()) {
    if (object.kind().empty()) {
      return absl::InternalError(absl::StrCat("RPC ", descriptor->full_name(), "'s object field `",
                                              object.field(), "` names no kind"));
    }
    absl::StatusOr<MethodPolicy::ScopedField> field =
        ResolveField(*descriptor->input_type(), object.field(), ScopeKind::kObject);
    if (!field.ok()) return field.status();
    field->object_kind = object.kind();
    policy.scoped_fields.push_back(*std::move(field));
  }
  if (policy.is_public && policy.HasScope()) {
    return absl::InternalError(
        absl::StrCat("RPC ", descriptor->full_name(), " is public but names scoped fields"));
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
