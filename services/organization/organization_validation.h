#pragma once

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/status/field_errors.h"
#include "common/time/china_time.h"
#include "services/organization/organization.h"

namespace lms::organization {

inline constexpr size_t kMaxOrganizationNameLength = 100;
inline constexpr size_t kMaxCodeLength = 32;
inline constexpr size_t kMaxMemberNameLength = 64;
inline constexpr size_t kMaxMemberSearchLength = 64;

// Adds a violation for each bad field of an organisation, named under `prefix`
// ("organization."). Name, code and kind are checked; ids are the service's business.
void CheckOrganizationFields(status::FieldErrors& errors, const std::string& prefix,
                             const Organization& organization);

// Adds a violation for each bad field of a member: name, member number, phone (empty or
// 11 digits of a mainland mobile number), at least one category and no repeats, a join
// date on or before `today`, a known status (unspecified is allowed: create makes it
// active).
void CheckMemberFields(status::FieldErrors& errors, const std::string& prefix, const Member& member,
                       absl::CivilDay today);

}  // namespace lms::organization
