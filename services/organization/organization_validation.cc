#include "services/organization/organization_validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/validation/field_checks.h"

namespace lms::organization {
namespace {

bool IsMobileNumber(const std::string& phone) {
  return phone.size() == 11 && phone[0] == '1' &&
         std::all_of(phone.begin(), phone.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

void CheckOrganizationFields(status::FieldErrors& errors, const std::string& prefix,
                             const Organization& organization) {
  validation::CheckText(errors, prefix + "name", organization.name, 1, kMaxOrganizationNameLength);
  validation::CheckCode(errors, prefix + "code", organization.code, kMaxCodeLength);
  const int kind = static_cast<int>(organization.kind);
  if (kind < 1 || kind > 4) errors.Add(prefix + "kind", "must be a known organisation kind");
}

void CheckMemberFields(status::FieldErrors& errors, const std::string& prefix, const Member& member,
                       absl::CivilDay today) {
  validation::CheckText(errors, prefix + "name", member.name, 1, kMaxMemberNameLength);
  validation::CheckCode(errors, prefix + "member_number", member.member_number, kMaxCodeLength);
  if (!member.phone.empty() && !IsMobileNumber(member.phone)) {
    errors.Add(prefix + "phone", "must be an 11-digit mobile number starting with 1");
  }
  if (member.categories.empty()) {
    errors.Add(prefix + "categories", "at least one category is required");
  }
  std::set<int> seen;
  for (size_t i = 0; i < member.categories.size(); ++i) {
    const int category = static_cast<int>(member.categories[i]);
    const std::string field = absl::StrCat(prefix, "categories[", i, "]");
    if (!IsKnownMemberCategory(category)) {
      errors.Add(field, "must be a known member category");
    } else if (!seen.insert(category).second) {
      errors.Add(field, "repeated");
    }
  }
  if (member.join_date.has_value() &&
      (*member.join_date < absl::CivilDay(1921, 7, 1) || *member.join_date > today)) {
    errors.Add(prefix + "join_date", "must be a real day, not in the future");
  }
  if (member.birth_date.has_value() &&
      (*member.birth_date < absl::CivilDay(1900, 1, 1) || *member.birth_date > today)) {
    errors.Add(prefix + "birth_date", "must be a real day, not in the future");
  }
  const int status = static_cast<int>(member.status);
  if (status < 0 || status > 3) errors.Add(prefix + "status", "must be a known member status");
}

}  // namespace lms::organization
