#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/db/connection_pool.h"
#include "common/db/migration.h"

namespace lms::db {

// Applies numbered migrations in order, each exactly once. The table schema_migration
// records what was applied with a checksum; a migration edited after it was applied is
// refused (FAILED_PRECONDITION), since the databases would silently diverge. A named lock
// keeps two servers starting at once from applying the same migration twice.
// DDL commits implicitly in MariaDB, so a migration that fails half-way is reported and
// not recorded: fix it and run again (write migrations that can be re-run, e.g.
// CREATE TABLE IF NOT EXISTS).
class Migrator {
 public:
  explicit Migrator(ConnectionPool& pool) : pool_(pool) {}

  // Returns the versions applied by this call (empty when the schema was current).
  [[nodiscard]] absl::StatusOr<std::vector<int>> Apply(absl::Span<const Migration> migrations,
                                                       absl::Time deadline) const;

 private:
  ConnectionPool& pool_;
};

}  // namespace lms::db
