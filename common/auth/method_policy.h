#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/caller.h"

namespace google::protobuf {
class FieldDescriptor;
class Message;
}  // namespace google::protobuf

namespace lms::auth {

// What kind of object a request field names, for the subtree check. kObject is any other
// kind (a plan, an attempt...), resolved to its owning organisation or member by the
// service that registered it with the ScopeChecker.
enum class ScopeKind { kOrganization, kMember, kKiosk, kObject };

// An object a request names: its kind and id (never 0).
struct ScopedId {
  ScopeKind kind;
  int64_t id;
  // For kObject: the registered kind ("plan").
  std::string object_kind = {};
};

// The access policy of one RPC, read from its `(lms.v1.access)` option in proto/.
struct MethodPolicy {
  // A request field (possibly nested: "member.organization_id") and what it names.
  // A repeated int64 leaf names several objects, each checked.
  struct ScopedField {
    ScopeKind kind;
    std::vector<const google::protobuf::FieldDescriptor*> path;
    std::string object_kind = {};
  };

  // "lms.v1.CourseService.GetCourse".
  std::string full_name;
  bool is_public = false;
  std::vector<Role> roles;
  std::vector<ScopedField> scoped_fields;
  bool kiosk_member_sessions = false;
  // Whether the call changes stored state (it then runs on call::RunWrite).
  bool writes = false;
  // The request's top-level `string request_id` field, if it has one: the client's
  // idempotency key for a retriable write.
  const google::protobuf::FieldDescriptor* request_id_field = nullptr;

  [[nodiscard]] bool Allows(Role role) const;
  // Whether calls need the database to check the caller's subtree.
  [[nodiscard]] bool HasScope() const { return !scoped_fields.empty(); }
  // The non-zero ids the request names in its scoped fields (every element of a repeated
  // one).
  [[nodiscard]] std::vector<ScopedId> ScopedIds(const google::protobuf::Message& request) const;
  // The request's request_id ("" when it has none).
  [[nodiscard]] std::string RequestId(const google::protobuf::Message& request) const;
};

// The policy of `method` in the service named `service` ("lms.v1.CourseService").
// INTERNAL when the RPC declares none, or names a scoped field its request does not have
// (or that is not an int64, or an object field without a kind): servers call this at
// start-up, so a broken policy stops the server instead of running open.
[[nodiscard]] absl::StatusOr<MethodPolicy> PolicyFor(absl::string_view service,
                                                     absl::string_view method);

// Same, aborting the process when missing (for handler constructors).
[[nodiscard]] MethodPolicy RequirePolicy(absl::string_view service, absl::string_view method);

}  // namespace lms::auth
