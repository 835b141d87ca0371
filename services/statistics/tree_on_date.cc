#include "services/statistics/tree_on_date.h"

#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

// An edge holds at an instant from its valid_from (inclusive) to its valid_to (exclusive):
// a move closes the old edge and opens the new one at the same instant.
constexpr char kEdges[] =
    "SELECT organization_id, COALESCE(parent_id, 0) FROM organization_parent_history"
    " WHERE valid_from < ? AND (valid_to IS NULL OR valid_to >= ?)";

const std::vector<int64_t>& NoChildren() {
  static const std::vector<int64_t> none;
  return none;
}

}  // namespace

absl::StatusOr<TreeOnDate> TreeOnDate::Load(db::Transaction& tx, absl::CivilDay day) {
  // The end of the day: the first instant of the next, in China time.
  const absl::Time end = EndOfChinaDay(day);
  TreeOnDate tree;
  RETURN_IF_ERROR(tx.Query(kEdges, {end, end},
                           [&](const db::Row& row) { tree.parent_[row.Int64(1)] = row.Int64(2); }));
  for (const auto& [organization, parent] : tree.parent_) {
    if (parent != 0) tree.children_[parent].push_back(organization);
  }
  return tree;
}

std::vector<int64_t> TreeOnDate::Roots() const {
  std::vector<int64_t> roots;
  for (const auto& [organization, parent] : parent_) {
    if (parent == 0) roots.push_back(organization);
  }
  return roots;
}

int64_t TreeOnDate::Parent(int64_t organization_id) const {
  const auto found = parent_.find(organization_id);
  return found == parent_.end() ? 0 : found->second;
}

const std::vector<int64_t>& TreeOnDate::Children(int64_t organization_id) const {
  const auto found = children_.find(organization_id);
  return found == children_.end() ? NoChildren() : found->second;
}

std::vector<int64_t> TreeOnDate::Subtree(int64_t root) const {
  std::vector<int64_t> subtree;
  if (!Exists(root)) return subtree;
  subtree.push_back(root);
  // Breadth-first; the history cannot hold a cycle (a move under one's own subtree is
  // refused), but a bound keeps a damaged table from looping forever.
  for (size_t next = 0; next < subtree.size() && subtree.size() <= parent_.size(); ++next) {
    for (const int64_t child : Children(subtree[next])) subtree.push_back(child);
  }
  return subtree;
}

std::vector<int64_t> TreeOnDate::DepthFirst(int64_t root) const {
  std::vector<int64_t> order;
  if (!Exists(root)) return order;
  std::vector<int64_t> stack{root};
  // The same bound as Subtree's against a damaged table.
  while (!stack.empty() && order.size() <= parent_.size()) {
    const int64_t next = stack.back();
    stack.pop_back();
    order.push_back(next);
    const std::vector<int64_t>& children = Children(next);
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return order;
}

int64_t TreeOnDate::BranchUnder(int64_t root, int64_t organization_id) const {
  if (organization_id == root) return root;
  int64_t below = organization_id;
  for (size_t steps = 0; steps <= parent_.size(); ++steps) {
    const int64_t parent = Parent(below);
    if (parent == 0) return 0;
    if (parent == root) return below;
    below = parent;
  }
  return 0;
}

}  // namespace lms::statistics
