#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/db/transaction.h"

namespace lms::auth {

// A session as stored: what one sign-in granted.
struct Session {
  int64_t id = 0;
  Role role = Role::kNone;
  int64_t member_id = 0;
  int64_t organization_id = 0;
  int64_t kiosk_id = 0;
  absl::Time expire_time = absl::InfinitePast();
  bool revoked = false;
  // When the session was opened: its absolute lifetime counts from here, and rotating
  // refresh tokens never moves it.
  absl::Time create_time = absl::InfinitePast();
};

// A stored refresh token.
struct RefreshToken {
  int64_t session_id = 0;
  absl::Time expire_time = absl::InfinitePast();
  bool rotated = false;
};

// SQL for session and refresh_token: the identity service opens and ends sessions; any
// service that ends a member's rights (a status change, say) revokes them here too, and
// SessionRevocations reads what was revoked. Stateless and thread-safe; every method runs
// inside the caller's transaction.
class SessionRepository {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Session& session,
                                               absl::Time now) const;
  // Locks the row. NOT_FOUND if absent.
  [[nodiscard]] absl::StatusOr<Session> FindForUpdate(db::Transaction& tx, int64_t id) const;
  [[nodiscard]] absl::Status ExtendTo(db::Transaction& tx, int64_t id, absl::Time expire) const;

  // Revokes sessions and returns the ids it revoked (for the in-memory revocation list).
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> Revoke(db::Transaction& tx, int64_t id,
                                                            absl::string_view reason,
                                                            absl::Time now) const;
  // Every open session of the member, except `keep` (0 for none).
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> RevokeMember(db::Transaction& tx,
                                                                  int64_t member_id, int64_t keep,
                                                                  absl::string_view reason,
                                                                  absl::Time now) const;
  // Every open session of the member acting in `role` over `organization_id`.
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> RevokeRole(db::Transaction& tx,
                                                                int64_t member_id, Role role,
                                                                int64_t organization_id,
                                                                absl::string_view reason,
                                                                absl::Time now) const;
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> RevokeKiosk(db::Transaction& tx,
                                                                 int64_t kiosk_id,
                                                                 absl::string_view reason,
                                                                 absl::Time now) const;

  [[nodiscard]] absl::Status InsertRefreshToken(db::Transaction& tx, const std::string& digest,
                                                int64_t session_id, absl::Time now,
                                                absl::Time expire_time) const;
  // Locks the row.
  [[nodiscard]] absl::StatusOr<std::optional<RefreshToken>> FindRefreshToken(
      db::Transaction& tx, const std::string& digest) const;
  [[nodiscard]] absl::Status MarkRotated(db::Transaction& tx, const std::string& digest,
                                         absl::Time now) const;
};

}  // namespace lms::auth
