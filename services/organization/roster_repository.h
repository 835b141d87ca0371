#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/outbox.h"
#include "services/organization/category_history_repository.h"
#include "services/organization/organization.h"
#include "services/organization/status_history_repository.h"

namespace lms::organization {

// An organisation as an import sees it: enough to resolve codes and parents.
struct KnownOrganization {
  int64_t id = 0;
  int64_t parent_id = 0;
  std::string code;
  std::string name;
  OrganizationKind kind = OrganizationKind::kUnspecified;
  bool closed = false;
};

// Bulk SQL for imports: whole-table and many-key reads, multi-row inserts (an order of
// magnitude faster than a statement per row). Statements come in a few fixed batch sizes
// so the prepared-statement cache stays small whatever the file size. Stateless and
// thread-safe; every method runs inside the caller's transaction.
class RosterRepository {
 public:
  [[nodiscard]] absl::StatusOr<std::vector<KnownOrganization>> AllOrganizations(
      db::Transaction& tx) const;
  // Member id by phone, for the phones given.
  [[nodiscard]] absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> MemberIdsByPhone(
      db::Transaction& tx, const std::vector<std::string>& phones) const;
  // Inserts new members (status and organisation set) and opens their assignments on
  // `since`.
  [[nodiscard]] absl::Status InsertMembers(db::Transaction& tx, const std::vector<Member>& members,
                                           absl::CivilDay since, absl::Time now) const;

 private:
  const CategoryHistoryRepository categories_{};
  const StatusHistoryRepository statuses_{};
  const outbox::OutboxWriter outbox_{};
};

}  // namespace lms::organization
