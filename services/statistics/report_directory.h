#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"

namespace lms::statistics {

struct OrganizationLabel {
  std::string name;
  // lms.v1.OrganizationKind.
  int kind = 0;
  // The roster code ("SC-01").
  std::string code;
};

struct MemberLabel {
  std::string name;
  std::string member_number;
};

struct AdminLabel {
  int64_t member_id = 0;
  std::string name;
};

// The names a report prints beside its figures, read for the ids it shows only (a page,
// a root and its children), by id. Names are today's: a renamed organisation shows its new
// name on an old date's figures. Stateless; thread-safe.
class ReportDirectory {
 public:
  [[nodiscard]] absl::StatusOr<std::map<int64_t, OrganizationLabel>> Organizations(
      db::Transaction& tx, const std::vector<int64_t>& ids) const;
  [[nodiscard]] absl::StatusOr<std::map<int64_t, MemberLabel>> Members(
      db::Transaction& tx, const std::vector<int64_t>& ids) const;
  // The current title of each plan.
  [[nodiscard]] absl::StatusOr<std::map<int64_t, std::string>> PlanTitles(
      db::Transaction& tx, const std::vector<int64_t>& ids) const;
  // The organisation admins whose grant is at each organisation, by member number.
  [[nodiscard]] absl::StatusOr<std::map<int64_t, std::vector<AdminLabel>>> AdminsAt(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids) const;
};

}  // namespace lms::statistics
