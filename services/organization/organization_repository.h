#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/outbox.h"
#include "services/organization/organization.h"

namespace lms::organization {

// Where a page of organisations starts (keyset) and which ones to list.
struct OrganizationQuery {
  int64_t root_id = 0;
  // Direct children of root_id, or the whole subtree below it level by level.
  bool recursive = false;
  bool include_closed = false;
  // Keyset: rows after (depth, id); depth is 0 for direct children.
  int64_t after_depth = 0;
  int64_t after_id = 0;
  int limit = 20;
};

struct OrganizationRow {
  Organization organization;
  // Depth below the listed root (recursive listings).
  int64_t depth = 0;
};

// SQL for the tree: organization, its closure table and its parent history.
// Stateless and thread-safe; every method runs inside the caller's transaction.
class OrganizationRepository {
 public:
  // Inserts the organisation with its closure rows and its first history entry.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Organization& draft,
                                               int64_t changed_by, absl::Time now) const;
  // Replaces name, code and kind; bumps the version.
  [[nodiscard]] absl::Status Update(db::Transaction& tx, const Organization& edited,
                                    absl::Time now) const;
  // Re-parents the subtree rooted at `id` under `new_parent_id`: rewrites the closure
  // pairs that cross the subtree's boundary, bumps the version and records the move.
  [[nodiscard]] absl::Status Move(db::Transaction& tx, int64_t id, int64_t old_parent_id,
                                  int64_t new_parent_id, int64_t changed_by, absl::Time now) const;
  [[nodiscard]] absl::Status Close(db::Transaction& tx, int64_t id, absl::Time now) const;

  // NOT_FOUND if absent; locks the row when `for_update`.
  [[nodiscard]] absl::StatusOr<Organization> Find(db::Transaction& tx, int64_t id,
                                                  bool for_update) const;
  // The organisation with this code, if any.
  [[nodiscard]] absl::StatusOr<std::optional<Organization>> FindByCode(
      db::Transaction& tx, const std::string& code) const;
  // Whether `descendant` is `ancestor` or lies below it.
  [[nodiscard]] absl::StatusOr<bool> IsWithin(db::Transaction& tx, int64_t descendant,
                                              int64_t ancestor) const;
  [[nodiscard]] absl::StatusOr<bool> HasRoot(db::Transaction& tx) const;
  // Whether the subtree of `id` holds at least one organisation in `share` of the whole
  // tree (one query: both counts come from index ranges).
  [[nodiscard]] absl::StatusOr<bool> IsBroadSubtree(db::Transaction& tx, int64_t id,
                                                    int64_t share) const;
  [[nodiscard]] absl::StatusOr<int64_t> CountOpenChildren(db::Transaction& tx, int64_t id) const;
  // Kiosks registered to the organisation and not revoked.
  [[nodiscard]] absl::StatusOr<int64_t> CountActiveKiosks(db::Transaction& tx, int64_t id) const;
  [[nodiscard]] absl::StatusOr<std::vector<OrganizationRow>> List(
      db::Transaction& tx, const OrganizationQuery& query) const;

 private:
  const outbox::OutboxWriter outbox_{};
};

}  // namespace lms::organization
