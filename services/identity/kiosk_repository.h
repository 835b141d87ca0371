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

// SQL for kiosk. Stateless and thread-safe; every method runs inside the caller's
// transaction.
class KioskRepository {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, int64_t organization_id,
                                               const std::string& name,
                                               const std::string& credential_digest,
                                               absl::Time now) const;
  [[nodiscard]] absl::Status SetCredential(db::Transaction& tx, int64_t id,
                                           const std::string& credential_digest) const;
  [[nodiscard]] absl::Status Revoke(db::Transaction& tx, int64_t id, absl::Time now) const;
  // NOT_FOUND if absent; locks the row.
  [[nodiscard]] absl::StatusOr<Kiosk> FindForUpdate(db::Transaction& tx, int64_t id) const;
  [[nodiscard]] absl::StatusOr<std::optional<Kiosk>> FindByCredential(
      db::Transaction& tx, const std::string& credential_digest) const;

  // Whether the kiosk signs in members of `organization_id`: in its own organisation's
  // subtree or in one it was given to serve.
  [[nodiscard]] absl::StatusOr<bool> Serves(db::Transaction& tx, const Kiosk& kiosk,
                                            int64_t organization_id) const;
  // The organisations whose subtrees it serves beyond its own (idempotent changes).
  [[nodiscard]] absl::Status AddServed(db::Transaction& tx, int64_t kiosk_id,
                                       int64_t organization_id) const;
  [[nodiscard]] absl::Status RemoveServed(db::Transaction& tx, int64_t kiosk_id,
                                          int64_t organization_id) const;
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> Served(db::Transaction& tx,
                                                            int64_t kiosk_id) const;
};

}  // namespace lms::identity
