#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/scope_checker.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/organization/member_repository.h"
#include "services/organization/organization.h"
#include "services/organization/organization_repository.h"
#include "services/organization/roster_repository.h"

namespace lms::organization {

struct RosterOrganizationRow {
  int line = 0;
  std::string code;
  std::string name;
  OrganizationKind kind = OrganizationKind::kUnspecified;
  std::string parent_code;
};

struct RosterMemberRow {
  int line = 0;
  Member member;
  std::string organization_code;
};

struct RowError {
  int line = 0;
  std::string field;
  std::string reason;
};

// An import's rows as RosterIntake checked them on arrival: the rows that passed, and the
// errors of those that did not.
struct RosterImport {
  std::vector<RosterOrganizationRow> organizations;
  std::vector<RosterMemberRow> members;
  std::vector<RowError> errors;
  bool valid_rows_only = false;
  bool dry_run = false;
};

struct ImportOutcome {
  std::vector<RowError> errors;
  int organizations_created = 0;
  int organizations_updated = 0;
  int members_created = 0;
  int members_updated = 0;
  int unchanged = 0;
};

inline constexpr size_t kMaxImportRows = 200'000;

// Bulk import of organisations and members (see ImportRoster in organization.proto): the
// rows RosterIntake let through are validated against the file (parents defined
// elsewhere in it) and the store (codes, numbers, phones, the caller's subtree); then all
// is written in one transaction, or nothing unless `valid_rows_only`. Re-importing the
// same rows changes nothing. Knows neither protos nor SQL. Thread-safe.
class RosterImporter {
 public:
  RosterImporter(db::ConnectionPool& pool, const Clock& clock, const auth::ScopeChecker& scope,
                 auth::SessionRevocations& revocations)
      : pool_(pool), clock_(clock), scope_(scope), revocations_(revocations) {}

  [[nodiscard]] absl::StatusOr<ImportOutcome> Import(const call::CallContext& call,
                                                     const RosterImport& import) const;
  // Today in China: the day an intake checks dates against.
  [[nodiscard]] absl::CivilDay Today() const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const auth::ScopeChecker& scope_;
  auth::SessionRevocations& revocations_;
  const OrganizationRepository organizations_{};
  const MemberRepository members_{};
  const RosterRepository roster_{};
};

}  // namespace lms::organization
