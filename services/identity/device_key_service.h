#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/identity/account_repository.h"
#include "services/identity/device_key_repository.h"

namespace lms::identity {

// Members' phone keys: registered by the member while online, revoked by the member or an
// admin of their subtree (which key a caller may name is checked before these run: object
// kind `device_key`). Thread-safe.
class DeviceKeyService {
 public:
  // Live keys a member may hold: a phone or two, and a replacement before the old is
  // revoked.
  static constexpr int kMaxLiveKeys = 5;

  DeviceKeyService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // The caller's key; the same key again returns it.
  [[nodiscard]] absl::StatusOr<DeviceKeyRecord> Register(const call::CallContext& call,
                                                         const std::string& public_key,
                                                         const std::string& name) const;
  [[nodiscard]] absl::StatusOr<DeviceKeyRecord> Revoke(const call::CallContext& call,
                                                       int64_t key_id) const;
  // `member_id` 0: the caller.
  [[nodiscard]] absl::StatusOr<std::vector<DeviceKeyRecord>> List(const call::CallContext& call,
                                                                  int64_t member_id) const;
  // For the scope checker: the key's owner, or nullopt.
  [[nodiscard]] absl::StatusOr<std::optional<DeviceKeyRecord>> Find(db::Transaction& tx,
                                                                    int64_t key_id,
                                                                    bool lock) const {
    return keys_.Find(tx, key_id, lock);
  }

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const AccountRepository accounts_{};
  const DeviceKeyRepository keys_{};
};

}  // namespace lms::identity
