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

constexpr char kServesOrganization[] =
    "SELECT 1 FROM organization_closure c WHERE c.descendant_id = ? AND (c.ancestor_id = ?"
    " OR c.ancestor_id IN (SELECT s.organization_id FROM kiosk_served_organization s"
    " WHERE s.kiosk_id = ?)) LIMIT 1";
constexpr char kAddServed[] =
    "INSERT IGNORE INTO kiosk_served_organization (kiosk_id, organization_id) VALUES (?, ?)";
constexpr char kRemoveServed[] =
    "DELETE FROM kiosk_served_organization WHERE kiosk_id = ? AND organization_id = ?";
constexpr char kServed[] =
    "SELECT organization_id FROM kiosk_served_organization WHERE kiosk_id = ?"
    " ORDER BY organization_id";

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

absl::StatusOr<bool> KioskRepository::Serves(db::Transaction& tx, const Kiosk& kiosk,
                                             int64_t organization_id) const {
  ASSIGN_OR_RETURN(
      const std::optional<int64_t> found,
      tx.QueryInt64(kServesOrganization, {organization_id, kiosk.organization_id, kiosk.id}));
  return found.has_value();
}

absl::Status KioskRepository::AddServed(db::Transaction& tx, int64_t kiosk_id,
                                        int64_t organization_id) const {
  return tx.Execute(kAddServed, {kiosk_id, organization_id}).status();
}

absl::Status KioskRepository::RemoveServed(db::Transaction& tx, int64_t kiosk_id,
                                           int64_t organization_id) const {
  return tx.Execute(kRemoveServed, {kiosk_id, organization_id}).status();
}

absl::StatusOr<std::vector<int64_t>> KioskRepository::Served(db::Transaction& tx,
                                                             int64_t kiosk_id) const {
  std::vector<int64_t> served;
  RETURN_IF_ERROR(
      tx.Query(kServed, {kiosk_id}, [&](const db::Row& row) { served.push_back(row.Int64(1)); }));
  return served;
}

}  // namespace lms::identity
