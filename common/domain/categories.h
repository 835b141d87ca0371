#pragma once

// Domain enums shared by every service. Numbers equal the lms.v1 proto enums so mapping
// is a checked cast; the domain itself never sees protos.

#include <cstdint>
#include <vector>

namespace lms {

// The basic tasks of member education (see proto/lms/v1/common.proto).
enum class ContentCategory : int {
  kUnspecified = 0,
  kPoliticalTheory = 1,
  kPoliticalEducation = 2,
  kPartyConstitution = 3,
  kRulesAndDiscipline = 4,
  kPartyPurpose = 5,
  kRevolutionaryTradition = 6,
  kSituationAndPolicy = 7,
  kKnowledgeAndSkills = 8,
};
inline constexpr int kMaxContentCategory = 8;

// Member categories; a member may be in several.
enum class MemberCategory : int {
  kUnspecified = 0,
  kOrdinary = 1,
  kProbationary = 2,
  kBranchSecretary = 3,
  kLeadingCadre = 4,
  kRetired = 5,
  kMobile = 6,
};
inline constexpr int kMaxMemberCategory = 6;

[[nodiscard]] constexpr bool IsKnownContentCategory(int value) {
  return value >= 1 && value <= kMaxContentCategory;
}
[[nodiscard]] constexpr bool IsKnownMemberCategory(int value) {
  return value >= 1 && value <= kMaxMemberCategory;
}

// Category sets travel as bit masks (1 << category) in the store.
[[nodiscard]] inline int64_t MemberCategoryMask(const std::vector<MemberCategory>& categories) {
  int64_t mask = 0;
  for (const MemberCategory c : categories) mask |= int64_t{1} << static_cast<int>(c);
  return mask;
}

[[nodiscard]] inline std::vector<MemberCategory> MemberCategoriesFromMask(int64_t mask) {
  std::vector<MemberCategory> categories;
  for (int value = 1; value <= kMaxMemberCategory; ++value) {
    if ((mask & (int64_t{1} << value)) != 0) {
      categories.push_back(static_cast<MemberCategory>(value));
    }
  }
  return categories;
}

}  // namespace lms
