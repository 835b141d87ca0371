#include "common/auth/scope_checker.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/db/connection_pool.h"
#include "common/db/run_transaction.h"

namespace lms::auth {
namespace {

// Each query answers (exists, in scope) for one object: its organisation against the
// subtree root `?` (first parameter), via the closure table's primary key.
constexpr char kOrganizationUnder[] =
    "SELECT EXISTS(SELECT 1 FROM organization_closure c WHERE c.ancestor_id = ?"
    " AND c.descendant_id = o.id) FROM organization o WHERE o.id = ?";
constexpr char kOrganizationAbove[] =
    "SELECT EXISTS(SELECT 1 FROM organization_closure c WHERE c.ancestor_id = o.id"
    " AND c.descendant_id = ?) FROM organization o WHERE o.id = ?";
constexpr char kMemberUnder[] =
    "SELECT EXISTS(SELECT 1 FROM organization_closure c WHERE c.ancestor_id = ?"
    " AND c.descendant_id = m.organization_id) FROM member m WHERE m.id = ?";
constexpr char kKioskUnder[] =
    "SELECT EXISTS(SELECT 1 FROM organization_closure c WHERE c.ancestor_id = ?"
    " AND c.descendant_id = k.organization_id) FROM kiosk k WHERE k.id = ?";

const char* KindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kOrganization:
      return "organisation";
    case ScopeKind::kMember:
      return "member";
    case ScopeKind::kKiosk:
      return "kiosk";
  }
  return "object";
}

absl::Status OutOfScope(const ScopedId& id) {
  return absl::PermissionDeniedError(
      absl::StrCat(KindName(id.kind), " ", id.id, " is outside the caller's organisation"));
}

}  // namespace

absl::Status ScopeChecker::CheckOne(db::Transaction& tx, const Caller& caller,
                                    const ScopedId& id) const {
  if (caller.role == Role::kSystemAdmin) return absl::OkStatus();
  const char* query = nullptr;
  switch (id.kind) {
    case ScopeKind::kOrganization:
      query = caller.role == Role::kOrgAdmin ? kOrganizationUnder : kOrganizationAbove;
      break;
    case ScopeKind::kMember:
      // A member's own records are its alone; no query needed.
      if (caller.role == Role::kMember) {
        return id.id == caller.member_id ? absl::OkStatus() : OutOfScope(id);
      }
      query = kMemberUnder;
      break;
    case ScopeKind::kKiosk:
      if (caller.role != Role::kOrgAdmin) return OutOfScope(id);
      query = kKioskUnder;
      break;
  }
  absl::StatusOr<std::optional<int64_t>> in_scope =
      tx.QueryInt64(query, {caller.organization_id, id.id});
  if (!in_scope.ok()) return in_scope.status();
  if (!in_scope->has_value()) {
    return absl::NotFoundError(absl::StrCat(KindName(id.kind), " ", id.id, " not found"));
  }
  return **in_scope != 0 ? absl::OkStatus() : OutOfScope(id);
}

absl::Status ScopeChecker::CheckOrganization(db::Transaction& tx, const Caller& caller,
                                             int64_t organization_id) const {
  return CheckOne(tx, caller, {ScopeKind::kOrganization, organization_id});
}

absl::Status ScopeChecker::Check(const Caller& caller, const std::vector<ScopedId>& ids,
                                 absl::Time deadline) const {
  if (ids.empty() || caller.role == Role::kSystemAdmin) return absl::OkStatus();
  // Members naming only themselves need no database round trip.
  const bool needs_database = std::any_of(ids.begin(), ids.end(), [&](const ScopedId& id) {
    return !(caller.role == Role::kMember && id.kind == ScopeKind::kMember);
  });
  if (!needs_database) {
    for (const ScopedId& id : ids) {
      if (id.id != caller.member_id) return OutOfScope(id);
    }
    return absl::OkStatus();
  }
  return db::RunTransaction(pool_, deadline, [&](db::Transaction& tx) -> absl::Status {
    for (const ScopedId& id : ids) {
      if (absl::Status s = CheckOne(tx, caller, id); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

}  // namespace lms::auth
