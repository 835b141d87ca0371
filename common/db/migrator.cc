#include "common/db/migrator.h"

#include <sodium.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"

namespace lms::db {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migration ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(64) CHARACTER SET ascii NOT NULL,"
    " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
constexpr char kGetLock[] = "SELECT GET_LOCK('lms.schema_migration', ?)";
constexpr char kReleaseLock[] = "SELECT RELEASE_LOCK('lms.schema_migration')";
constexpr char kSelectApplied[] = "SELECT version, checksum FROM schema_migration";
constexpr char kInsertApplied[] =
    "INSERT INTO schema_migration (version, name, checksum) VALUES (?, ?, ?)";

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<std::map<int, std::string>> LoadApplied(Transaction& tx) {
  std::map<int, std::string> applied;
  RETURN_IF_ERROR(tx.Query(kSelectApplied, {}, [&](const Row& row) {
    applied[static_cast<int>(row.Int64(1))] = row.String(2);
  }));
  return applied;
}

absl::Status ApplyOne(Transaction& tx, const Migration& migration, const std::string& checksum) {
  for (const std::string& statement : SplitStatements(migration.sql)) {
    absl::StatusOr<uint64_t> result = tx.Execute(statement, {});
    if (!result.ok()) {
      return absl::Status(result.status().code(),
                          absl::StrCat("migration ", migration.version, " (", migration.name,
                                       ") failed: ", result.status().message()));
    }
  }
  RETURN_IF_ERROR(
      tx.Execute(kInsertApplied, {migration.version, migration.name, checksum}).status());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<int>> Migrator::Apply(absl::Span<const Migration> migrations,
                                                 absl::Time deadline) const {
  ASSIGN_OR_RETURN(Transaction tx, pool_.Begin(deadline));
  RETURN_IF_ERROR(tx.Execute(kCreateTable, {}).status());
  const int64_t wait_seconds = std::max<int64_t>(1, absl::ToInt64Seconds(deadline - absl::Now()));
  ASSIGN_OR_RETURN(std::optional<int64_t> locked, tx.QueryInt64(kGetLock, {wait_seconds}));
  if (locked.value_or(0) != 1) {
    return absl::UnavailableError("another process is migrating the schema");
  }
  std::vector<int> newly_applied;
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(const auto applied, LoadApplied(tx));
    for (const Migration& migration : migrations) {
      const std::string checksum = Sha256Hex(migration.sql);
      const auto it = applied.find(migration.version);
      if (it != applied.end()) {
        if (it->second != checksum) {
          return absl::FailedPreconditionError(
              absl::StrCat("migration ", migration.version, " (", migration.name,
                           ") was changed after it was applied; add a new migration instead"));
        }
        continue;
      }
      RETURN_IF_ERROR(ApplyOne(tx, migration, checksum));
      newly_applied.push_back(migration.version);
      log::Info("migration_applied", {{"version", migration.version}, {"name", migration.name}});
    }
    return absl::OkStatus();
  }();
  const absl::Status released = tx.QueryInt64(kReleaseLock, {}).status();
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(released);
  RETURN_IF_ERROR(tx.Commit());
  return newly_applied;
}

}  // namespace lms::db
