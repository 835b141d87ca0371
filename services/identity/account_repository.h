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

// SQL for members' sign-in data: member_credential, activation_code and admin_grant.
// Stateless and thread-safe; every method runs inside the caller's transaction.
class AccountRepository {
 public:
  // The member whose number (or, failing that, phone) is `login`; locks the credential
  // row when `for_update` (so concurrent sign-ins serialise on one account).
  [[nodiscard]] absl::StatusOr<std::optional<Account>> FindByLogin(db::Transaction& tx,
                                                                   const std::string& login,
                                                                   bool for_update) const;
  [[nodiscard]] absl::StatusOr<std::optional<Account>> FindById(db::Transaction& tx,
                                                                int64_t member_id,
                                                                bool for_update) const;

  // `set_by_code`: the digest of the activation code setting it, "" for any other way.
  [[nodiscard]] absl::Status SetPassword(db::Transaction& tx, int64_t member_id,
                                         const std::string& hash, bool must_change, absl::Time now,
                                         const std::string& set_by_code = "") const;
  [[nodiscard]] absl::Status RequirePasswordChange(db::Transaction& tx, int64_t member_id) const;
  [[nodiscard]] absl::Status SetPin(db::Transaction& tx, int64_t member_id,
                                    const std::string& hash) const;

  [[nodiscard]] absl::Status InsertActivationCode(db::Transaction& tx, int64_t member_id,
                                                  const std::string& code_digest, int64_t issued_by,
                                                  absl::Time now, absl::Time expire_time) const;
  // Voids every unused code of the member (a newer code replaces them).
  [[nodiscard]] absl::Status VoidActivationCodes(db::Transaction& tx, int64_t member_id,
                                                 absl::Time now) const;
  // Marks the member's unused, unexpired code with this digest used; false if none.
  [[nodiscard]] absl::StatusOr<bool> UseActivationCode(db::Transaction& tx, int64_t member_id,
                                                       const std::string& code_digest,
                                                       absl::Time now) const;

  // The organisation the member may administer in `role`: the one asked for when
  // `organization_id` is set, else the grant nearest the root. nullopt without a grant.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> FindGrant(db::Transaction& tx,
                                                                 int64_t member_id, auth::Role role,
                                                                 int64_t organization_id) const;
  [[nodiscard]] absl::Status Grant(db::Transaction& tx, int64_t member_id, auth::Role role,
                                   int64_t organization_id) const;
  [[nodiscard]] absl::Status Ungrant(db::Transaction& tx, int64_t member_id, auth::Role role,
                                     int64_t organization_id) const;
  // (role, organisation) of every grant the member holds.
  [[nodiscard]] absl::StatusOr<std::vector<std::pair<auth::Role, int64_t>>> Grants(
      db::Transaction& tx, int64_t member_id) const;
};

}  // namespace lms::identity
