#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

// The organisation tree as it stood at the end of a day (China time), rebuilt from
// organization_parent_history: a figure "as of D" rolls up the tree of D, so a branch
// moved since is counted where it stood then. Immutable once loaded.
class TreeOnDate {
 public:
  [[nodiscard]] static absl::StatusOr<TreeOnDate> Load(db::Transaction& tx, absl::CivilDay day);

  [[nodiscard]] bool Exists(int64_t organization_id) const {
    return parent_.count(organization_id) > 0;
  }
  // The organisations without a parent then, by id.
  [[nodiscard]] std::vector<int64_t> Roots() const;
  // 0 for a root, or an organisation that did not exist.
  [[nodiscard]] int64_t Parent(int64_t organization_id) const;
  // Direct children, by id.
  [[nodiscard]] const std::vector<int64_t>& Children(int64_t organization_id) const;
  // The organisation and everything under it then, the organisation first (empty when it
  // did not exist).
  [[nodiscard]] std::vector<int64_t> Subtree(int64_t root) const;
  // The same organisations depth-first, children by id: each branch's organisations
  // together, the order a listing of members by organisation reads best in.
  [[nodiscard]] std::vector<int64_t> DepthFirst(int64_t root) const;
  // For drill-down: the direct child of `root` whose subtree holds `organization_id`;
  // `root` itself for the root; 0 outside the root's subtree.
  [[nodiscard]] int64_t BranchUnder(int64_t root, int64_t organization_id) const;

 private:
  std::map<int64_t, int64_t> parent_;
  std::map<int64_t, std::vector<int64_t>> children_;
};

}  // namespace lms::statistics
