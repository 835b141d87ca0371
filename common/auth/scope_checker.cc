#include "common/auth/scope_checker.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/db/connection_pool.h"
#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"

namespace lms::auth {
namespace {

// The organisation an object belongs to (an organisation is its own). Locking variants
// take a shared lock on the row read, so a transfer or kiosk move waits for the caller's
// commit instead of slipping between the check and the write.
constexpr char kOrganizationOf[] = "SELECT id FROM organization WHERE id = ?";
constexpr char kOrganizationOfLocked[] =
    "SELECT id FROM organization WHERE id = ? LOCK IN SHARE MODE";
constexpr char kMemberOrganization[] = "SELECT organization_id FROM member WHERE id = ?";
constexpr char kMemberOrganizationLocked[] =
    "SELECT organization_id FROM member WHERE id = ? LOCK IN SHARE MODE";
constexpr char kKioskOrganization[] = "SELECT organization_id FROM kiosk WHERE id = ?";
constexpr char kKioskOrganizationLocked[] =
    "SELECT organization_id FROM kiosk WHERE id = ? LOCK IN SHARE MODE";
// Whether `descendant` lies in the subtree of `ancestor`: one closure primary-key row.
// Locked, a subtree move (which deletes that row) waits for the caller's commit.
constexpr char kWithin[] =
    "SELECT COUNT(*) FROM organization_closure WHERE ancestor_id = ? AND descendant_id = ?";
constexpr char kWithinLocked[] =
    "SELECT COUNT(*) FROM organization_closure WHERE ancestor_id = ? AND descendant_id = ?"
    " LOCK IN SHARE MODE";
// Whether an organisation lies in a kiosk's own subtree or one it was given to serve.
constexpr char kKioskServes[] =
    "SELECT COUNT(*) FROM organization_closure c WHERE c.descendant_id = ? AND (c.ancestor_id = ?"
    " OR c.ancestor_id IN (SELECT s.organization_id FROM kiosk_served_organization s"
    " WHERE s.kiosk_id = ?))";
constexpr char kKioskServesLocked[] =
    "SELECT COUNT(*) FROM organization_closure c WHERE c.descendant_id = ? AND (c.ancestor_id = ?"
    " OR c.ancestor_id IN (SELECT s.organization_id FROM kiosk_served_organization s"
    " WHERE s.kiosk_id = ?)) LOCK IN SHARE MODE";

// Grants of a member reaching beyond the subtree of `?` (the caller's root): any system
// admin grant, or an organisation admin grant of an organisation outside that subtree.
// Shared locks keep a grant from appearing under a write that relied on its absence.
constexpr char kBroaderGrants[] =
    "SELECT COUNT(*) FROM admin_grant g WHERE g.member_id = ? AND (g.role = 4 OR NOT EXISTS"
    " (SELECT 1 FROM organization_closure c WHERE c.ancestor_id = ?"
    " AND c.descendant_id = g.organization_id))";
constexpr char kBroaderGrantsLocked[] =
    "SELECT COUNT(*) FROM admin_grant g WHERE g.member_id = ? AND (g.role = 4 OR NOT EXISTS"
    " (SELECT 1 FROM organization_closure c WHERE c.ancestor_id = ?"
    " AND c.descendant_id = g.organization_id)) LOCK IN SHARE MODE";

const char* KindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kOrganization:
      return "organisation";
    case ScopeKind::kMember:
      return "member";
    case ScopeKind::kKiosk:
      return "kiosk";
    case ScopeKind::kObject:
      return "object";
  }
  return "object";
}

std::string NameOf(const ScopedId& id) {
  return id.kind == ScopeKind::kObject ? id.object_kind : KindName(id.kind);
}

absl::Status OutOfScope(const ScopedId& id) {
  return absl::PermissionDeniedError(
      absl::StrCat(NameOf(id), " ", id.id, " is outside the caller's organisation"));
}

const char* OwnerQuery(ScopeKind kind, bool lock) {
  switch (kind) {
    case ScopeKind::kOrganization:
      return lock ? kOrganizationOfLocked : kOrganizationOf;
    case ScopeKind::kMember:
      return lock ? kMemberOrganizationLocked : kMemberOrganization;
    case ScopeKind::kKiosk:
      return lock ? kKioskOrganizationLocked : kKioskOrganization;
    case ScopeKind::kObject:
      break;
  }
  return kOrganizationOf;
}

}  // namespace

void ScopeChecker::RegisterObjectKind(const std::string& kind, ObjectOwnerResolver resolver) {
  absl::MutexLock lock(&mu_);
  resolvers_[kind] = std::move(resolver);
}

bool ScopeChecker::KnowsObjectKind(const std::string& kind) const {
  absl::ReaderMutexLock lock(&mu_);
  return resolvers_.contains(kind);
}

absl::Status ScopeChecker::DecideObject(db::Transaction& tx, const Caller& caller,
                                        const ScopedId& id, bool lock) const {
  ObjectOwnerResolver resolver;
  {
    absl::ReaderMutexLock reader(&mu_);
    const auto it = resolvers_.find(id.object_kind);
    if (it == resolvers_.end()) {
      return absl::InternalError(absl::StrCat("no service resolves objects of kind ", NameOf(id)));
    }
    resolver = it->second;
  }
  ASSIGN_OR_RETURN(const std::optional<ObjectOwner> owner, resolver(tx, id.id, lock));
  if (!owner.has_value())
    return absl::NotFoundError(absl::StrCat(NameOf(id), " ", id.id, " not found"));
  const absl::Status decided = Decide(tx, caller, {owner->kind, owner->id, ""}, lock);
  if (decided.code() == absl::StatusCode::kPermissionDenied) return OutOfScope(id);
  return decided;
}

absl::Status ScopeChecker::Decide(db::Transaction& tx, const Caller& caller, const ScopedId& id,
                                  bool lock) const {
  if (caller.role == Role::kSystemAdmin) return absl::OkStatus();
  if (id.kind == ScopeKind::kObject) return DecideObject(tx, caller, id, lock);
  // A member's own records are its alone, and no other kiosk is a kiosk's business: no
  // query needed.
  if (caller.role == Role::kMember && id.kind == ScopeKind::kMember) {
    return id.id == caller.member_id ? absl::OkStatus() : OutOfScope(id);
  }
  if (id.kind == ScopeKind::kKiosk && caller.role != Role::kOrgAdmin) return OutOfScope(id);
  ASSIGN_OR_RETURN(const std::optional<int64_t> owner,
                   tx.QueryInt64(OwnerQuery(id.kind, lock), {id.id}));
  if (!owner.has_value()) {
    return absl::NotFoundError(absl::StrCat(KindName(id.kind), " ", id.id, " not found"));
  }
  // Admins reach down their subtree, kiosks down to the members of theirs; members and
  // kiosks see their own organisation and those above it.
  const bool downward = caller.role == Role::kOrgAdmin ||
                        (caller.role == Role::kKiosk && id.kind == ScopeKind::kMember);
  const int64_t ancestor = downward ? caller.organization_id : *owner;
  const int64_t descendant = downward ? *owner : caller.organization_id;
  // A kiosk serves its own organisation's subtree and those an admin added to it
  // (kiosk_served_organization), as KioskMemberSignIn does.
  const bool served = caller.role == Role::kKiosk && id.kind == ScopeKind::kMember;
  ASSIGN_OR_RETURN(const std::optional<int64_t> within,
                   served ? tx.QueryInt64(lock ? kKioskServesLocked : kKioskServes,
                                          {descendant, ancestor, caller.kiosk_id})
                          : tx.QueryInt64(lock ? kWithinLocked : kWithin, {ancestor, descendant}));
  return within.value_or(0) > 0 ? absl::OkStatus() : OutOfScope(id);
}

absl::Status ScopeChecker::CheckOne(db::Transaction& tx, const Caller& caller,
                                    const ScopedId& id) const {
  return Decide(tx, caller, id, /*lock=*/false);
}

absl::Status ScopeChecker::CheckOrganization(db::Transaction& tx, const Caller& caller,
                                             int64_t organization_id) const {
  return Decide(tx, caller, {ScopeKind::kOrganization, organization_id}, /*lock=*/true);
}

absl::Status ScopeChecker::Hold(db::Transaction& tx, const Caller& caller,
                                const std::vector<ScopedId>& ids) const {
  for (const ScopedId& id : ids) {
    if (id.kind == ScopeKind::kMember) {
      RETURN_IF_ERROR(HoldMember(tx, caller, id.id));
    } else {
      RETURN_IF_ERROR(Decide(tx, caller, id, /*lock=*/true));
    }
  }
  return absl::OkStatus();
}

absl::Status ScopeChecker::HoldMember(db::Transaction& tx, const Caller& caller,
                                      int64_t member_id) const {
  return DecideMemberWrite(tx, caller, member_id, /*lock=*/true);
}

absl::Status ScopeChecker::DecideMemberWrite(db::Transaction& tx, const Caller& caller,
                                             int64_t member_id, bool lock) const {
  const ScopedId id{ScopeKind::kMember, member_id};
  RETURN_IF_ERROR(Decide(tx, caller, id, lock));
  if (caller.role != Role::kOrgAdmin) return absl::OkStatus();
  // An admin must not change a member whose own grants reach further than the admin's:
  // issuing that member a code, or editing, transferring or deactivating them, would let
  // a branch admin take over (or lock out) a system admin who happens to be a member of
  // the branch.
  ASSIGN_OR_RETURN(const std::optional<int64_t> broader,
                   tx.QueryInt64(lock ? kBroaderGrantsLocked : kBroaderGrants,
                                 {member_id, caller.organization_id}));
  if (broader.value_or(0) > 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("member ", member_id,
                     " holds an admin grant beyond the caller's organisation: only a system "
                     "admin may change them"));
  }
  return absl::OkStatus();
}

absl::Status ScopeChecker::Check(const Caller& caller, const std::vector<ScopedId>& ids,
                                 absl::Time deadline, bool writes) const {
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
      if (writes && id.kind == ScopeKind::kMember) {
        RETURN_IF_ERROR(DecideMemberWrite(tx, caller, id.id, /*lock=*/false));
      } else {
        RETURN_IF_ERROR(CheckOne(tx, caller, id));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace lms::auth
