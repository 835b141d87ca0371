#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
};

}  // namespace lms::identity
