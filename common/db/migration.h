#pragma once

#include <string>
#include <vector>

namespace lms::db {

// One numbered schema migration: deploy/migrations/NNNN_name.sql, embedded into the
// binaries at build time so a server never depends on where the checkout is.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// The project's migrations, ordered by version (generated from deploy/migrations).
const std::vector<Migration>& EmbeddedMigrations();

// Splits a migration into statements: each ends with `;` at the end of a line; lines
// starting with `--` are comments. (Migrations hold no procedures, so this is enough.)
std::vector<std::string> SplitStatements(const std::string& sql);

}  // namespace lms::db
