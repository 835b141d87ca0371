#include "common/auth/session_repository.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::auth {
namespace {

constexpr char kInsert[] =
    "INSERT INTO session (role, member_id, organization_id, kiosk_id, create_time, expire_time)"
    " VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kSelectForUpdate[] =
    "SELECT id, role, COALESCE(member_id, 0), organization_id, COALESCE(kiosk_id, 0),"
    " expire_time, revoked_at IS NOT NULL, create_time FROM session WHERE id = ? FOR UPDATE";
constexpr char kExtend[] = "UPDATE session SET expire_time = ? WHERE id = ?";

// Revocation locks the rows it will revoke, reads their ids, then marks them.
constexpr char kLockOne[] = "SELECT id FROM session WHERE id = ? AND revoked_at IS NULL FOR UPDATE";
constexpr char kLockMember[] =
    "SELECT id FROM session WHERE member_id = ? AND id <> ? AND revoked_at IS NULL FOR UPDATE";
constexpr char kLockRole[] =
    "SELECT id FROM session WHERE member_id = ? AND role = ? AND organization_id = ?"
    " AND revoked_at IS NULL FOR UPDATE";
constexpr char kLockKiosk[] =
    "SELECT id FROM session WHERE kiosk_id = ? AND revoked_at IS NULL FOR UPDATE";
constexpr char kRevokeOne[] =
    "UPDATE session SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL";

constexpr char kInsertRefresh[] =
    "INSERT INTO refresh_token (token_hash, session_id, create_time, expire_time)"
    " VALUES (?, ?, ?, ?)";
constexpr char kSelectRefresh[] =
    "SELECT session_id, expire_time, rotated_at IS NOT NULL FROM refresh_token"
    " WHERE token_hash = ? FOR UPDATE";
constexpr char kRotate[] = "UPDATE refresh_token SET rotated_at = ? WHERE token_hash = ?";

}  // namespace

absl::StatusOr<int64_t> SessionRepository::Insert(db::Transaction& tx, const Session& session,
                                                  absl::Time now) const {
  return tx.Insert(kInsert, {static_cast<int>(session.role),
                             db::Param::NullIfZero(session.member_id), session.organization_id,
                             db::Param::NullIfZero(session.kiosk_id), now, session.expire_time});
}

absl::StatusOr<Session> SessionRepository::FindForUpdate(db::Transaction& tx, int64_t id) const {
  std::optional<Session> found;
  RETURN_IF_ERROR(tx.Query(kSelectForUpdate, {id}, [&](const db::Row& row) {
    Session s;
    s.id = row.Int64(1);
    s.role = static_cast<Role>(row.Int64(2));
    s.member_id = row.Int64(3);
    s.organization_id = row.Int64(4);
    s.kiosk_id = row.Int64(5);
    s.expire_time = row.Time(6);
    s.revoked = row.Bool(7);
    s.create_time = row.Time(8);
    found = s;
  }));
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat("session ", id, " not found"));
  return *found;
}

absl::Status SessionRepository::ExtendTo(db::Transaction& tx, int64_t id, absl::Time expire) const {
  return tx.Execute(kExtend, {expire, id}).status();
}

namespace {

absl::StatusOr<std::vector<int64_t>> LockAndRevoke(db::Transaction& tx, const char* lock_sql,
                                                   std::vector<db::Param> params,
                                                   absl::string_view reason, absl::Time now) {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(
      tx.Query(lock_sql, params, [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
  for (const int64_t id : ids) {
    RETURN_IF_ERROR(tx.Execute(kRevokeOne, {now, reason, id}).status());
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> SessionRepository::Revoke(db::Transaction& tx, int64_t id,
                                                               absl::string_view reason,
                                                               absl::Time now) const {
  return LockAndRevoke(tx, kLockOne, {id}, reason, now);
}

absl::StatusOr<std::vector<int64_t>> SessionRepository::RevokeMember(db::Transaction& tx,
                                                                     int64_t member_id,
                                                                     int64_t keep,
                                                                     absl::string_view reason,
                                                                     absl::Time now) const {
  return LockAndRevoke(tx, kLockMember, {member_id, keep}, reason, now);
}

absl::StatusOr<std::vector<int64_t>> SessionRepository::RevokeRole(db::Transaction& tx,
                                                                   int64_t member_id, Role role,
                                                                   int64_t organization_id,
                                                                   absl::string_view reason,
                                                                   absl::Time now) const {
  return LockAndRevoke(tx, kLockRole, {member_id, static_cast<int>(role), organization_id}, reason,
                       now);
}

absl::StatusOr<std::vector<int64_t>> SessionRepository::RevokeKiosk(db::Transaction& tx,
                                                                    int64_t kiosk_id,
                                                                    absl::string_view reason,
                                                                    absl::Time now) const {
  return LockAndRevoke(tx, kLockKiosk, {kiosk_id}, reason, now);
}

absl::Status SessionRepository::InsertRefreshToken(db::Transaction& tx, const std::string& digest,
                                                   int64_t session_id, absl::Time now,
                                                   absl::Time expire_time) const {
  return tx.Execute(kInsertRefresh, {digest, session_id, now, expire_time}).status();
}

absl::StatusOr<std::optional<RefreshToken>> SessionRepository::FindRefreshToken(
    db::Transaction& tx, const std::string& digest) const {
  std::optional<RefreshToken> found;
  RETURN_IF_ERROR(tx.Query(kSelectRefresh, {digest}, [&](const db::Row& row) {
    RefreshToken token;
    token.session_id = row.Int64(1);
    token.expire_time = row.Time(2);
    token.rotated = row.Bool(3);
    found = token;
  }));
  return found;
}

absl::Status SessionRepository::MarkRotated(db::Transaction& tx, const std::string& digest,
                                            absl::Time now) const {
  return tx.Execute(kRotate, {now, digest}).status();
}

}  // namespace lms::auth
