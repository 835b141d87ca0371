#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"

namespace lms::db {
class ConnectionPool;
class Transaction;
}  // namespace lms::db

namespace lms::auth {

// Who owns an object of a registered kind: an organisation, or a member (a member's own
// records: its enrolments, its attempts).
struct ObjectOwner {
  ScopeKind kind = ScopeKind::kOrganization;  // kOrganization or kMember
  int64_t id = 0;
};

// Resolves an object id of one kind to its owner (nullopt: no such object), in the
// caller's transaction; with `lock`, a shared lock on the row read (LOCK IN SHARE MODE),
// so a write holding the decision keeps the object where it was until commit.
using ObjectOwnerResolver = std::function<absl::StatusOr<std::optional<ObjectOwner>>(
    db::Transaction& tx, int64_t id, bool lock)>;

// The organisation-subtree half of authorization, for the objects a request names
// (MethodPolicy::ScopedIds). Rules, by the caller's role:
//   system admin   - everything (unknown ids are left to the service: NOT_FOUND there);
//   org admin      - organisations, members and kiosks in the subtree of its root;
//   kiosk          - its organisation and those above it; members of its subtree and of
//                    the subtrees it was given to serve (kiosk_served_organization);
//   member         - its own organisation and those above it; itself alone.
// Outside scope: PERMISSION_DENIED; an id that does not exist: NOT_FOUND. Reads the tree
// from the database on every check, so a subtree move changes what an admin may reach
// with its very next call; writes hold the decision with shared locks (Hold) until they
// commit, and a write on a member is refused to an organisation admin when the member's
// own admin grants reach beyond the admin's subtree. Objects of other kinds (policies'
// object_fields) are checked as their owner, found by the resolver their service registered.
// Thread-safe; register kinds before serving.
class ScopeChecker {
 public:
  explicit ScopeChecker(db::ConnectionPool& pool) : pool_(pool) {}

  // Makes `kind` ("plan") checkable; a service registers each kind it owns. A kind
  // registered twice: the later resolver wins (one process hosts one owner of a kind).
  void RegisterObjectKind(const std::string& kind, ObjectOwnerResolver resolver);
  [[nodiscard]] bool KnowsObjectKind(const std::string& kind) const;

  // The check every scoped call gets on its worker before the work runs: its own short
  // transaction, no locks. For a write (`writes`), members are checked as HoldMember does.
  [[nodiscard]] absl::Status Check(const Caller& caller, const std::vector<ScopedId>& ids,
                                   absl::Time deadline, bool writes) const;
  // The same inside a write's own transaction, with shared locks on the rows the decision
  // rests on (the closure pair, the member's or kiosk's row): a concurrent subtree move or
  // transfer waits until the write commits, so the decision still holds when it does.
  [[nodiscard]] absl::Status Hold(db::Transaction& tx, const Caller& caller,
                                  const std::vector<ScopedId>& ids) const;
  // Hold for one member a write changes: within the caller's reach, and, for an
  // organisation admin, holding no admin grant beyond the admin's subtree (a branch admin
  // may not change a system admin who is a member of the branch). Bulk imports check each
  // existing member this way.
  [[nodiscard]] absl::Status HoldMember(db::Transaction& tx, const Caller& caller,
                                        int64_t member_id) const;
  // Hold for one organisation (bulk imports check each row's organisation).
  [[nodiscard]] absl::Status CheckOrganization(db::Transaction& tx, const Caller& caller,
                                               int64_t organization_id) const;
  [[nodiscard]] absl::Status CheckOne(db::Transaction& tx, const Caller& caller,
                                      const ScopedId& id) const;

 private:
  absl::Status Decide(db::Transaction& tx, const Caller& caller, const ScopedId& id,
                      bool lock) const;

  // A member a write changes: Decide, then the broader-grant rule for organisation admins.
  absl::Status DecideMemberWrite(db::Transaction& tx, const Caller& caller, int64_t member_id,
                                 bool lock) const;
  // kObject: the owner's decision, with the object named in a refusal.
  absl::Status DecideObject(db::Transaction& tx, const Caller& caller, const ScopedId& id,
                            bool lock) const;

  db::ConnectionPool& pool_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ObjectOwnerResolver> resolvers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::auth
