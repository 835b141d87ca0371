#include "services/identity/kiosk_repository.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::identity {
namespace {

constexpr char kInsert[] =
    "INSERT INTO kiosk (organization_id, name, credential_hash, create_time) VALUES (?, ?, ?, ?)";
constexpr char kSetCredential[] = "UPDATE kiosk SET credential_hash = ? WHERE id = ?";
constexpr char kRevoke[] = "UPDATE kiosk SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?";
constexpr char kSelectForUpdate[] =
    "SELECT id, organization_id, name, revoked_at IS NOT NULL FROM kiosk WHERE id = ? FOR UPDATE";
constexpr char kSelectByCredential[] =
    "SELECT id, organization_id, name, revoked_at IS NOT NULL FROM kiosk"
    " WHERE credential_hash = ?";

Kiosk RowToKiosk(const db::Row& row) {
  Kiosk kiosk;
  kiosk.id = row.Int64(1);
  kiosk.organization_id = row.Int64(2);
  kiosk.name = row.String(3);
  kiosk.revoked = row.Bool(4);
  return kiosk;
}

}  // namespace

absl::StatusOr<int64_t> KioskRepository::Insert(db::Transaction& tx, int64_t organization_id,
                                                const std::string& name,
                                                const std::string& credential_digest,
                                                absl::Time now) const {
  return tx.Insert(kInsert, {organization_id, name, credential_digest, now});
}

absl::Status KioskRepository::SetCredential(db::Transaction& tx, int64_t id,
                                            const std::string& credential_digest) const {
  return tx.Execute(kSetCredential, {credential_digest, id}).status();
}

absl::Status KioskRepository::Revoke(db::Transaction& tx, int64_t id, absl::Time now) const {
  return tx.Execute(kRevoke, {now, id}).status();
}

absl::StatusOr<Kiosk> KioskRepository::FindForUpdate(db::Transaction& tx, int64_t id) const {
  std::optional<Kiosk> found;
  RETURN_IF_ERROR(
      tx.Query(kSelectForUpdate, {id}, [&](const db::Row& row) { found = RowToKiosk(row); }));
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat("kiosk ", id, " not found"));
  return *std::move(found);
}

absl::StatusOr<std::optional<Kiosk>> KioskRepository::FindByCredential(
    db::Transaction& tx, const std::string& credential_digest) const {
  std::optional<Kiosk> found;
  RETURN_IF_ERROR(tx.Query(kSelectByCredential, {credential_digest},
                           [&](const db::Row& row) { found = RowToKiosk(row); }));
  return found;
}

}  // namespace lms::identity
