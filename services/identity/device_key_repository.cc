#include "services/identity/device_key_repository.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::identity {
namespace {

constexpr char kColumns[] = "id, member_id, public_key, name, register_time, revoke_time";
constexpr char kInsert[] =
    "INSERT INTO member_device_key (member_id, public_key, name, register_time)"
    " VALUES (?, ?, ?, ?)";
constexpr char kRevoke[] =
    "UPDATE member_device_key SET revoke_time = COALESCE(revoke_time, ?) WHERE id = ?";

DeviceKeyRecord RowToKey(const db::Row& row) {
  DeviceKeyRecord key;
  key.id = row.Int64(1);
  key.member_id = row.Int64(2);
  key.public_key = absl::HexStringToBytes(row.String(3));
  key.name = row.String(4);
  key.register_time = row.Time(5);
  key.revoke_time = row.Time(6);
  return key;
}

}  // namespace

absl::StatusOr<int64_t> DeviceKeyRepository::Insert(db::Transaction& tx,
                                                    const DeviceKeyRecord& key) const {
  return tx.Insert(kInsert, {key.member_id, absl::BytesToHexString(key.public_key), key.name,
                             key.register_time});
}

absl::StatusOr<std::optional<DeviceKeyRecord>> DeviceKeyRepository::Find(db::Transaction& tx,
                                                                         int64_t id,
                                                                         bool lock) const {
  std::optional<DeviceKeyRecord> found;
  RETURN_IF_ERROR(tx.Query(
      lock ? absl::StrCat("SELECT ", kColumns, " FROM member_device_key WHERE id = ? FOR UPDATE")
           : absl::StrCat("SELECT ", kColumns, " FROM member_device_key WHERE id = ?"),
      {id}, [&](const db::Row& row) { found = RowToKey(row); }));
  return found;
}

absl::StatusOr<std::optional<DeviceKeyRecord>> DeviceKeyRepository::FindByPublicKey(
    db::Transaction& tx, const std::string& public_key) const {
  std::optional<DeviceKeyRecord> found;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns, " FROM member_device_key WHERE public_key = ?"),
      {absl::BytesToHexString(public_key)}, [&](const db::Row& row) { found = RowToKey(row); }));
  return found;
}

absl::StatusOr<std::vector<DeviceKeyRecord>> DeviceKeyRepository::ListByMember(
    db::Transaction& tx, int64_t member_id) const {
  std::vector<DeviceKeyRecord> keys;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns, " FROM member_device_key WHERE member_id = ? ORDER BY id"),
      {member_id}, [&](const db::Row& row) { keys.push_back(RowToKey(row)); }));
  return keys;
}

absl::Status DeviceKeyRepository::Revoke(db::Transaction& tx, int64_t id, absl::Time now) const {
  return tx.Execute(kRevoke, {now, id}).status();
}

}  // namespace lms::identity
