#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/db/param.h"

namespace sql {
class Connection;
class PreparedStatement;
}  // namespace sql

namespace lms::db {

// One session with the database, owned by the pool and used by one thread at a time.
// It keeps autocommit off (every use is a transaction ended by commit or rollback), runs
// in UTC with utf8mb4 and strict SQL mode, and caches prepared statements by SQL text so
// each statement is prepared once per connection.
// Methods throw sql::SQLException; only Transaction calls them, inside its catch.
class Connection {
 public:
  Connection(std::unique_ptr<sql::Connection> connection, bool is_mariadb);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached prepared statement for `sql`, with `params` bound.
  sql::PreparedStatement& Bind(absl::string_view sql, absl::Span<const Param> params);

  // Bounds every following statement to `limit` (MariaDB max_statement_time). Skips the
  // round trip when the limit is unchanged at 100 ms granularity.
  void SetStatementTimeLimit(absl::Duration limit);

  void Commit();
  void Rollback();
  // A cheap round trip proving the session is alive.
  [[nodiscard]] bool IsAlive();

  // Set when an error showed the session is unusable; the pool then drops it.
  void MarkBroken() { broken_ = true; }
  [[nodiscard]] bool broken() const { return broken_; }

  absl::Time last_used() const { return last_used_; }
  void Touch(absl::Time now) { last_used_ = now; }
  uint64_t epoch() const { return epoch_; }
  void set_epoch(uint64_t epoch) { epoch_ = epoch; }

 private:
  sql::PreparedStatement& Prepare(absl::string_view sql);

  std::unique_ptr<sql::Connection> connection_;
  const bool is_mariadb_;
  absl::flat_hash_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  int64_t statement_limit_decis_ = -1;
  bool broken_ = false;
  absl::Time last_used_ = absl::InfinitePast();
  uint64_t epoch_ = 0;
};

}  // namespace lms::db
