#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "services/statistics/member_standing.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {

// The figures of the members of one category (0: all members) in a subtree.
struct CategoryFigures {
  int category = 0;
  int64_t members = 0;
  int64_t members_in_plans = 0;
  int64_t required_enrollments = 0;
  int64_t completed_enrollments = 0;
  int64_t hours_credited = 0;  // hundredths
  int64_t hours_required = 0;  // hundredths
  int64_t members_meeting_requirement = 0;
  int64_t members_on_track = 0;
  int64_t members_without_study = 0;
  int64_t study_ms = 0;

  void Add(const MemberStanding& member);
  // Adds another row's figures (of the same category) to this one.
  void Merge(const CategoryFigures& other);
  bool operator==(const CategoryFigures& other) const;
};

// A subtree's figures: all members first, then one row per category someone holds, in
// category order.
struct OrganizationFigures {
  int64_t organization_id = 0;
  std::vector<CategoryFigures> categories;
};

struct SubtreeFigures {
  OrganizationFigures organization;
  // Each direct child of the root in the tree of the date, by id (those without members
  // too: an empty branch is a figure).
  std::vector<OrganizationFigures> children;
};

// Adds up `members` (those of `root`'s subtree on the date) for the root and each of its
// direct children in `tree`.
[[nodiscard]] SubtreeFigures AddUp(const TreeOnDate& tree, int64_t root,
                                   const std::vector<MemberStanding>& members);

// The figures of `members` (say, one organisation's direct members) as one organisation's:
// all members first, then each category someone holds.
[[nodiscard]] OrganizationFigures FiguresOf(int64_t organization_id,
                                            const std::vector<MemberStanding>& members);

// Adds up organisations' category rows (each organisation's direct members, as the
// rollups keep them) for `root` and each of its direct children in `tree`, as AddUp adds
// up members: the same figures for the same members.
[[nodiscard]] SubtreeFigures AddUpOrganizations(
    const TreeOnDate& tree, int64_t root,
    const std::map<int64_t, std::vector<CategoryFigures>>& rows);

// Adds up `members` for every one of `organizations` (a subtree of `tree`, as Subtree gave
// it): each member counts in its organisation and every one above it in the list. Every
// organisation has figures, those without members too.
[[nodiscard]] std::map<int64_t, OrganizationFigures> AddUpEvery(
    const TreeOnDate& tree, const std::vector<int64_t>& organizations,
    const std::vector<MemberStanding>& members);

// The same from organisations' category rows (each organisation's direct members, as the
// rollups keep them): the same figures for the same members.
[[nodiscard]] std::map<int64_t, OrganizationFigures> AddUpEveryOrganization(
    const TreeOnDate& tree, const std::vector<int64_t>& organizations,
    const std::map<int64_t, std::vector<CategoryFigures>>& rows);

}  // namespace lms::statistics
