#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/identity/account.h"

namespace lms::identity {

// SQL for session and refresh_token. Stateless and thread-safe; every method runs inside
// the caller's transaction.
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
                                                                int64_t member_id, auth::Role role,
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

}  // namespace lms::identity
