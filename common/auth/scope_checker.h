#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"

namespace lms::db {
class ConnectionPool;
class Transaction;
}  // namespace lms::db

namespace lms::auth {

// The organisation-subtree half of authorization, for the objects a request names
// (MethodPolicy::ScopedIds). Rules, by the caller's role:
//   system admin   - everything (unknown ids are left to the service: NOT_FOUND there);
//   org admin      - organisations, members and kiosks in the subtree of its root;
//   kiosk          - its organisation and those above it; members of its subtree;
//   member         - its own organisation and those above it; itself alone.
// Outside scope: PERMISSION_DENIED; an id that does not exist: NOT_FOUND. Reads the tree
// from the database on every check, so a subtree move changes what an admin may reach
// with its very next call; writes hold the decision with shared locks (Hold) until they
// commit. Stateless; thread-safe.
class ScopeChecker {
 public:
  explicit ScopeChecker(db::ConnectionPool& pool) : pool_(pool) {}

  // The check every scoped call gets on its worker before the work runs: its own short
  // transaction, no locks.
  [[nodiscard]] absl::Status Check(const Caller& caller, const std::vector<ScopedId>& ids,
                                   absl::Time deadline) const;
  // The same inside a write's own transaction, with shared locks on the rows the decision
  // rests on (the closure pair, the member's or kiosk's row): a concurrent subtree move or
  // transfer waits until the write commits, so the decision still holds when it does.
  [[nodiscard]] absl::Status Hold(db::Transaction& tx, const Caller& caller,
                                  const std::vector<ScopedId>& ids) const;
  // Hold for one organisation (bulk imports check each row's organisation).
  [[nodiscard]] absl::Status CheckOrganization(db::Transaction& tx, const Caller& caller,
                                               int64_t organization_id) const;
  [[nodiscard]] absl::Status CheckOne(db::Transaction& tx, const Caller& caller,
                                      const ScopedId& id) const;

 private:
  absl::Status Decide(db::Transaction& tx, const Caller& caller, const ScopedId& id,
                      bool lock) const;

  db::ConnectionPool& pool_;
};

}  // namespace lms::auth
