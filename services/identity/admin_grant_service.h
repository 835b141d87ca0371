#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/session_repository.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/identity/account_repository.h"

namespace lms::identity {

struct AdminGrantRecord {
  int64_t member_id = 0;
  auth::Role role = auth::Role::kNone;
  int64_t organization_id = 0;
};

// Appointing and dismissing admins. Which members and organisations a caller may name is
// checked before these run (the policies' fields); the rules here: only system admins make
// system admins, the member must be active and the organisation open, nobody dismisses
// itself, and a dismissal ends the sessions held in that role at once. Thread-safe.
class AdminGrantService {
 public:
  AdminGrantService(db::ConnectionPool& pool, const Clock& clock,
                    auth::SessionRevocations& revocations)
      : pool_(pool), clock_(clock), revocations_(revocations) {}

  [[nodiscard]] absl::StatusOr<AdminGrantRecord> Grant(const call::CallContext& call,
                                                       const AdminGrantRecord& grant) const;
  [[nodiscard]] absl::Status Revoke(const call::CallContext& call,
                                    const AdminGrantRecord& grant) const;
  [[nodiscard]] absl::StatusOr<std::vector<AdminGrantRecord>> List(const call::CallContext& call,
                                                                   int64_t member_id) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  auth::SessionRevocations& revocations_;
  const AccountRepository accounts_{};
  const auth::SessionRepository sessions_{};
};

}  // namespace lms::identity
