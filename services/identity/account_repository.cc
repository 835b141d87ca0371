#include "services/identity/account_repository.h"

#include "common/status/status_macros.h"

namespace lms::identity {
namespace {

#define LMS_ACCOUNT_COLUMNS                                                       \
  "m.id, m.name, m.organization_id, m.status = 1, COALESCE(c.password_hash, '')," \
  " COALESCE(c.must_change_password, 0), COALESCE(c.pin_hash, ''),"               \
  " COALESCE(c.password_set_by_code, ''), m.member_number, COALESCE(m.phone, ''), m.birth_date"

constexpr char kByNumber[] = "SELECT " LMS_ACCOUNT_COLUMNS
                             " FROM member m LEFT JOIN member_credential c ON c.member_id = m.id"
                             " WHERE m.member_number = ?";
constexpr char kByPhone[] = "SELECT " LMS_ACCOUNT_COLUMNS
                            " FROM member m LEFT JOIN member_credential c ON c.member_id = m.id"
                            " WHERE m.phone = ?";
constexpr char kById[] = "SELECT " LMS_ACCOUNT_COLUMNS
                         " FROM member m LEFT JOIN member_credential c ON c.member_id = m.id"
                         " WHERE m.id = ?";
#undef LMS_ACCOUNT_COLUMNS

// Creates the credential row if missing, so FOR UPDATE below has a row to lock.
constexpr char kEnsureCredential[] = "INSERT IGNORE INTO member_credential (member_id) VALUES (?)";
constexpr char kLockCredential[] =
    "SELECT member_id FROM member_credential WHERE member_id = ? FOR UPDATE";
constexpr char kSetPassword[] =
    "UPDATE member_credential SET password_hash = ?, must_change_password = ?,"
    " password_changed_at = ?, password_set_by_code = ? WHERE member_id = ?";
constexpr char kRequireChange[] =
    "UPDATE member_credential SET must_change_password = 1 WHERE member_id = ?"
    " AND password_hash IS NOT NULL";
constexpr char kSetPin[] = "UPDATE member_credential SET pin_hash = ? WHERE member_id = ?";

constexpr char kInsertCode[] =
    "INSERT INTO activation_code (code_hash, member_id, issued_by, create_time, expire_time)"
    " VALUES (?, ?, ?, ?, ?)";
constexpr char kVoidCodes[] =
    "UPDATE activation_code SET used_at = ? WHERE member_id = ? AND used_at IS NULL";
constexpr char kFindCode[] = "SELECT member_id, used_at FROM activation_code WHERE code_hash = ?";
constexpr char kUseCode[] =
    "UPDATE activation_code SET used_at = ? WHERE code_hash = ? AND member_id = ?"
    " AND used_at IS NULL AND expire_time > ?";

// The grant nearest the root first (fewest ancestors), for an admin with several.
constexpr char kFindGrant[] =
    "SELECT g.organization_id FROM admin_grant g"
    " WHERE g.member_id = ? AND g.role = ? AND (? = 0 OR g.organization_id = ?)"
    " ORDER BY (SELECT COUNT(*) FROM organization_closure c"
    "           WHERE c.descendant_id = g.organization_id), g.organization_id LIMIT 1";
constexpr char kUngrant[] =
    "DELETE FROM admin_grant WHERE member_id = ? AND role = ? AND organization_id = ?";
constexpr char kGrants[] =
    "SELECT role, organization_id FROM admin_grant WHERE member_id = ? ORDER BY role DESC,"
    " organization_id";
constexpr char kGrant[] =
    "INSERT IGNORE INTO admin_grant (member_id, role, organization_id) VALUES (?, ?, ?)";

Account RowToAccount(const db::Row& row) {
  Account account;
  account.member_id = row.Int64(1);
  account.name = row.String(2);
  account.organization_id = row.Int64(3);
  account.active = row.Bool(4);
  account.password_hash = row.String(5);
  account.must_change_password = row.Bool(6);
  account.pin_hash = row.String(7);
  account.password_set_by_code = row.String(8);
  account.member_number = row.String(9);
  account.phone = row.String(10);
  if (const std::optional<absl::CivilDay> born = row.Day(11)) {
    account.birth_year = static_cast<int>(born->year());
  }
  return account;
}

absl::StatusOr<std::optional<Account>> QueryAccount(db::Transaction& tx, const char* sql,
                                                    const db::Param& key, bool for_update) {
  std::optional<Account> account;
  RETURN_IF_ERROR(tx.Query(sql, {key}, [&](const db::Row& row) { account = RowToAccount(row); }));
  if (account.has_value() && for_update) {
    RETURN_IF_ERROR(tx.Execute(kEnsureCredential, {account->member_id}).status());
    RETURN_IF_ERROR(tx.Query(kLockCredential, {account->member_id}, [](const db::Row&) {}));
    // Re-read under the lock: a concurrent sign-in may have just changed it.
    account.reset();
    RETURN_IF_ERROR(
        tx.Query(kById, {key}, [&](const db::Row& row) { account = RowToAccount(row); }));
  }
  return account;
}

}  // namespace

absl::StatusOr<std::optional<Account>> AccountRepository::FindByLogin(db::Transaction& tx,
                                                                      const std::string& login,
                                                                      bool for_update) const {
  std::optional<Account> account;
  RETURN_IF_ERROR(
      tx.Query(kByNumber, {login}, [&](const db::Row& row) { account = RowToAccount(row); }));
  if (!account.has_value()) {
    RETURN_IF_ERROR(
        tx.Query(kByPhone, {login}, [&](const db::Row& row) { account = RowToAccount(row); }));
  }
  if (!account.has_value() || !for_update) return account;
  return FindById(tx, account->member_id, true);
}

absl::StatusOr<std::optional<Account>> AccountRepository::FindById(db::Transaction& tx,
                                                                   int64_t member_id,
                                                                   bool for_update) const {
  return QueryAccount(tx, kById, member_id, for_update);
}

absl::Status AccountRepository::SetPassword(db::Transaction& tx, int64_t member_id,
                                            const std::string& hash, bool must_change,
                                            absl::Time now, const std::string& set_by_code) const {
  RETURN_IF_ERROR(tx.Execute(kEnsureCredential, {member_id}).status());
  const db::Param code = set_by_code.empty() ? db::Param(nullptr) : db::Param(set_by_code);
  return tx.Execute(kSetPassword, {hash, db::Param::Bool(must_change), now, code, member_id})
      .status();
}

absl::Status AccountRepository::RequirePasswordChange(db::Transaction& tx,
                                                      int64_t member_id) const {
  return tx.Execute(kRequireChange, {member_id}).status();
}

absl::Status AccountRepository::SetPin(db::Transaction& tx, int64_t member_id,
                                       const std::string& hash) const {
  RETURN_IF_ERROR(tx.Execute(kEnsureCredential, {member_id}).status());
  return tx.Execute(kSetPin, {hash, member_id}).status();
}

absl::Status AccountRepository::InsertActivationCode(db::Transaction& tx, int64_t member_id,
                                                     const std::string& code_digest,
                                                     int64_t issued_by, absl::Time now,
                                                     absl::Time expire_time) const {
  return tx.Execute(kInsertCode, {code_digest, member_id, issued_by, now, expire_time}).status();
}

absl::Status AccountRepository::VoidActivationCodes(db::Transaction& tx, int64_t member_id,
                                                    absl::Time now) const {
  return tx.Execute(kVoidCodes, {now, member_id}).status();
}

absl::StatusOr<bool> AccountRepository::UseActivationCode(db::Transaction& tx, int64_t member_id,
                                                          const std::string& code_digest,
                                                          absl::Time now) const {
  ASSIGN_OR_RETURN(const uint64_t used, tx.Execute(kUseCode, {now, code_digest, member_id, now}));
  return used == 1;
}

absl::StatusOr<std::optional<int64_t>> AccountRepository::FindGrant(db::Transaction& tx,
                                                                    int64_t member_id,
                                                                    auth::Role role,
                                                                    int64_t organization_id) const {
  return tx.QueryInt64(kFindGrant,
                       {member_id, static_cast<int>(role), organization_id, organization_id});
}

absl::Status AccountRepository::Grant(db::Transaction& tx, int64_t member_id, auth::Role role,
                                      int64_t organization_id) const {
  return tx.Execute(kGrant, {member_id, static_cast<int>(role), organization_id}).status();
}

absl::Status AccountRepository::Ungrant(db::Transaction& tx, int64_t member_id, auth::Role role,
                                        int64_t organization_id) const {
  return tx.Execute(kUngrant, {member_id, static_cast<int>(role), organization_id}).status();
}

absl::StatusOr<std::vector<std::pair<auth::Role, int64_t>>> AccountRepository::Grants(
    db::Transaction& tx, int64_t member_id) const {
  std::vector<std::pair<auth::Role, int64_t>> grants;
  RETURN_IF_ERROR(tx.Query(kGrants, {member_id}, [&](const db::Row& row) {
    grants.emplace_back(static_cast<auth::Role>(row.Int64(1)), row.Int64(2));
  }));
  return grants;
}

}  // namespace lms::identity
