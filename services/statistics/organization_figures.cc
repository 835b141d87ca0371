#include "services/statistics/organization_figures.h"

#include <map>
#include <tuple>

namespace lms::statistics {
namespace {

// MemberCategory values, 1-6.
constexpr int kFirstCategory = 1;
constexpr int kLastCategory = 6;

// Rows by category (0: all members), filled as members are added.
class Accumulator {
 public:
  void Add(const MemberStanding& member) {
    rows_[0].Add(member);
    for (int category = kFirstCategory; category <= kLastCategory; ++category) {
      if ((member.category_mask & (int64_t{1} << category)) == 0) continue;
      CategoryFigures& row = rows_[category];
      row.category = category;
      row.Add(member);
    }
  }
  OrganizationFigures Figures(int64_t organization_id) const {
    OrganizationFigures figures;
    figures.organization_id = organization_id;
    figures.categories.push_back(CategoryFigures{});  // all members, even none
    for (const auto& [category, row] : rows_) {
      if (category == 0) {
        figures.categories.front() = row;
      } else {
        figures.categories.push_back(row);
      }
    }
    return figures;
  }

 private:
  std::map<int, CategoryFigures> rows_;
};

// Category rows summed by category.
using Rows = std::map<int, CategoryFigures>;

void AddRows(Rows& into, const std::vector<CategoryFigures>& from) {
  for (const CategoryFigures& row : from) {
    CategoryFigures& sum = into[row.category];
    sum.category = row.category;
    sum.Merge(row);
  }
}

OrganizationFigures FiguresOfRows(int64_t organization_id, const Rows& sums) {
  OrganizationFigures figures;
  figures.organization_id = organization_id;
  figures.categories.push_back(CategoryFigures{});  // all members, even none
  for (const auto& [category, row] : sums) {
    if (category == 0) {
      figures.categories.front() = row;
    } else if (row.members > 0) {
      figures.categories.push_back(row);
    }
  }
  return figures;
}

}  // namespace

void CategoryFigures::Add(const MemberStanding& member) {
  ++members;
  members_in_plans += member.in_plan ? 1 : 0;
  required_enrollments += member.required_courses;
  completed_enrollments += member.completed_courses;
  hours_credited += member.credited_hundredths;
  hours_required += member.required_hundredths;
  members_meeting_requirement += member.meets_requirement() ? 1 : 0;
  members_on_track += member.on_track() ? 1 : 0;
  members_without_study += member.without_study() ? 1 : 0;
  study_ms += member.study_ms;
}

void CategoryFigures::Merge(const CategoryFigures& other) {
  members += other.members;
  members_in_plans += other.members_in_plans;
  required_enrollments += other.required_enrollments;
  completed_enrollments += other.completed_enrollments;
  hours_credited += other.hours_credited;
  hours_required += other.hours_required;
  members_meeting_requirement += other.members_meeting_requirement;
  members_on_track += other.members_on_track;
  members_without_study += other.members_without_study;
  study_ms += other.study_ms;
}

bool CategoryFigures::operator==(const CategoryFigures& other) const {
  const auto tied = [](const CategoryFigures& f) {
    return std::tie(f.category, f.members, f.members_in_plans, f.required_enrollments,
                    f.completed_enrollments, f.hours_credited, f.hours_required,
                    f.members_meeting_requirement, f.members_on_track, f.members_without_study,
                    f.study_ms);
  };
  return tied(*this) == tied(other);
}

OrganizationFigures FiguresOf(int64_t organization_id, const std::vector<MemberStanding>& members) {
  Accumulator accumulator;
  for (const MemberStanding& member : members) accumulator.Add(member);
  return accumulator.Figures(organization_id);
}

SubtreeFigures AddUp(const TreeOnDate& tree, int64_t root,
                     const std::vector<MemberStanding>& members) {
  Accumulator whole;
  std::map<int64_t, Accumulator> by_child;
  for (const int64_t child : tree.Children(root)) by_child[child];
  for (const MemberStanding& member : members) {
    whole.Add(member);
    const int64_t child = tree.BranchUnder(root, member.organization_id);
    // The root's own direct members count in the root alone.
    if (child != 0 && child != root) by_child[child].Add(member);
  }
  SubtreeFigures figures;
  figures.organization = whole.Figures(root);
  for (const auto& [child, accumulator] : by_child) {
    figures.children.push_back(accumulator.Figures(child));
  }
  return figures;
}

SubtreeFigures AddUpOrganizations(const TreeOnDate& tree, int64_t root,
                                  const std::map<int64_t, std::vector<CategoryFigures>>& rows) {
  Rows whole;
  std::map<int64_t, Rows> by_child;
  for (const int64_t child : tree.Children(root)) by_child[child];
  for (const auto& [organization, organization_rows] : rows) {
    const int64_t child = tree.BranchUnder(root, organization);
    if (child == 0) continue;  // outside the subtree
    AddRows(whole, organization_rows);
    if (child != root) AddRows(by_child[child], organization_rows);
  }
  SubtreeFigures figures;
  figures.organization = FiguresOfRows(root, whole);
  for (const auto& [child, sums] : by_child) figures.children.push_back(FiguresOfRows(child, sums));
  return figures;
}

std::map<int64_t, OrganizationFigures> AddUpEvery(const TreeOnDate& tree,
                                                  const std::vector<int64_t>& organizations,
                                                  const std::vector<MemberStanding>& members) {
  std::map<int64_t, Accumulator> accumulators;
  for (const int64_t organization : organizations) accumulators[organization];
  for (const MemberStanding& member : members) {
    // Up the tree while inside the list (a cycle-free history; the bound guards a damaged one).
    int64_t at = member.organization_id;
    for (size_t steps = 0; at != 0 && steps <= organizations.size(); ++steps) {
      const auto found = accumulators.find(at);
      if (found == accumulators.end()) break;
      found->second.Add(member);
      at = tree.Parent(at);
    }
  }
  std::map<int64_t, OrganizationFigures> figures;
  for (const auto& [organization, accumulator] : accumulators) {
    figures.emplace(organization, accumulator.Figures(organization));
  }
  return figures;
}

std::map<int64_t, OrganizationFigures> AddUpEveryOrganization(
    const TreeOnDate& tree, const std::vector<int64_t>& organizations,
    const std::map<int64_t, std::vector<CategoryFigures>>& rows) {
  std::map<int64_t, Rows> sums;
  for (const int64_t organization : organizations) sums[organization];
  for (const auto& [organization, organization_rows] : rows) {
    // Up the tree while inside the list, as AddUpEvery adds a member.
    int64_t at = organization;
    for (size_t steps = 0; at != 0 && steps <= organizations.size(); ++steps) {
      const auto found = sums.find(at);
      if (found == sums.end()) break;
      AddRows(found->second, organization_rows);
      at = tree.Parent(at);
    }
  }
  std::map<int64_t, OrganizationFigures> figures;
  for (const auto& [organization, organization_sums] : sums) {
    figures.emplace(organization, FiguresOfRows(organization, organization_sums));
  }
  return figures;
}

}  // namespace lms::statistics
