#include "services/organization/roster_intake.h"

#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "common/validation/field_checks.h"
#include "services/organization/organization_validation.h"

namespace lms::organization {

void RosterIntake::AddOrganization(RosterOrganizationRow row) {
  ++rows_seen_;
  status::FieldErrors errors;
  Organization organization;
  organization.name = row.name;
  organization.code = row.code;
  organization.kind = row.kind;
  CheckOrganizationFields(errors, "organization.", organization);
  if (!row.parent_code.empty()) {
    validation::CheckCode(errors, "organization.parent_code", row.parent_code, kMaxCodeLength);
  }
  if (!errors.empty()) {
    for (const auto& [field, reason] : errors.violations()) Fail(row.line, field, reason);
    return;
  }
  if (const auto [it, added] = codes_.emplace(row.code, row.line); !added) {
    Fail(row.line, "organization.code", absl::StrCat("repeats line ", it->second));
    return;
  }
  import_.organizations.push_back(std::move(row));
}

void RosterIntake::AddMember(RosterMemberRow row) {
  ++rows_seen_;
  status::FieldErrors errors;
  CheckMemberFields(errors, "member.", row.member, today_);
  validation::CheckCode(errors, "member.organization_code", row.organization_code, kMaxCodeLength);
  if (!errors.empty()) {
    for (const auto& [field, reason] : errors.violations()) Fail(row.line, field, reason);
    return;
  }
  const std::string& number = row.member.member_number;
  const std::string& phone = row.member.phone;
  if (const auto it = numbers_.find(number); it != numbers_.end()) {
    Fail(row.line, "member.member_number", absl::StrCat("repeats line ", it->second));
    return;
  }
  if (const auto it = phones_.find(number); it != phones_.end()) {
    Fail(row.line, "member.member_number", absl::StrCat("is the phone on line ", it->second));
    return;
  }
  if (!phone.empty()) {
    if (const auto it = phones_.find(phone); it != phones_.end()) {
      Fail(row.line, "member.phone", absl::StrCat("repeats line ", it->second));
      return;
    }
    if (const auto it = numbers_.find(phone); it != numbers_.end()) {
      Fail(row.line, "member.phone", absl::StrCat("is the member number on line ", it->second));
      return;
    }
    phones_.emplace(phone, row.line);
  }
  numbers_.emplace(number, row.line);
  import_.members.push_back(std::move(row));
}

}  // namespace lms::organization
