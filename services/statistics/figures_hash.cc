#include "services/statistics/figures_hash.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lms::statistics {
namespace {

void Append(std::string& text, const OrganizationFigures& organization) {
  absl::StrAppend(&text, "org ", organization.organization_id, "\n");
  for (const CategoryFigures& f : organization.categories) {
    absl::StrAppend(&text, f.category, ",", f.members, ",", f.members_in_plans, ",",
                    f.required_enrollments, ",", f.completed_enrollments, ",", f.hours_credited,
                    ",", f.hours_required, ",", f.members_meeting_requirement, ",",
                    f.members_on_track, ",", f.members_without_study, ",", f.study_ms, "\n");
  }
}

}  // namespace

std::string FiguresHash(const SubtreeFigures& figures) {
  // Versioned: a later figure added to the form must not collide with today's hashes.
  std::string text = "lms-figures-v1\n";
  Append(text, figures.organization);
  for (const OrganizationFigures& child : figures.children) Append(text, child);
  return CanonicalTextHash(text);
}

std::string CanonicalTextHash(absl::string_view text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace lms::statistics
