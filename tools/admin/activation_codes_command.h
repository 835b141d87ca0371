#pragma once

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"

namespace lms::admin {

struct ActivationCodesOptions {
  // The subtree; 0 means the admin's own organisation.
  int64_t organization_id = 0;
  // Also members who already have a password (a reset for all of them).
  bool include_activated = false;
  // Where to write the codes (created with owner-only permissions).
  std::string out_path;
  bool show_progress = false;
};

struct ActivationCodesReport {
  int members_seen = 0;
  int codes_issued = 0;
};

// Hands out first-sign-in codes in bulk: lists the active members of a subtree and issues
// an activation code for each one without a password (or every one), writing
// `member_number,name,organization_id,code,expires` as CSV for distribution. The file
// holds secrets: it is created readable by its owner only.
[[nodiscard]] absl::StatusOr<ActivationCodesReport> RunActivationCodes(
    v1::OrganizationService::Stub& organizations, v1::IdentityService::Stub& identity,
    const std::string& access_token, const ActivationCodesOptions& options, std::ostream& progress);

}  // namespace lms::admin
