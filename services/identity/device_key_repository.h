#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/identity/device_key.h"

namespace lms::identity {

// Storage of members' phone keys (`member_device_key`; keys stored in hex). Stateless.
class DeviceKeyRepository {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx,
                                               const DeviceKeyRecord& key) const;
  [[nodiscard]] absl::StatusOr<std::optional<DeviceKeyRecord>> Find(db::Transaction& tx, int64_t id,
                                                                    bool lock) const;
  [[nodiscard]] absl::StatusOr<std::optional<DeviceKeyRecord>> FindByPublicKey(
      db::Transaction& tx, const std::string& public_key) const;
  // Oldest first.
  [[nodiscard]] absl::StatusOr<std::vector<DeviceKeyRecord>> ListByMember(db::Transaction& tx,
                                                                          int64_t member_id) const;
  // Sets the revoke time unless it is set.
  [[nodiscard]] absl::Status Revoke(db::Transaction& tx, int64_t id, absl::Time now) const;
};

}  // namespace lms::identity
