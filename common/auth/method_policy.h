#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/caller.h"

namespace lms::auth {

// The access policy of one RPC, read from its `(lms.v1.access)` option in proto/.
struct MethodPolicy {
  // "lms.v1.CourseService.GetCourse".
  std::string full_name;
  bool is_public = false;
  std::vector<Role> roles;

  [[nodiscard]] bool Allows(Role role) const;
};

// The policy of `method` in the service named `service` ("lms.v1.CourseService").
// INTERNAL when the RPC declares none: servers call this at start-up, so an RPC without
// a policy stops the server instead of running open.
[[nodiscard]] absl::StatusOr<MethodPolicy> PolicyFor(absl::string_view service,
                                                     absl::string_view method);

// Same, aborting the process when missing (for handler constructors).
[[nodiscard]] MethodPolicy RequirePolicy(absl::string_view service, absl::string_view method);

}  // namespace lms::auth
