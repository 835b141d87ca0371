#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/db/connection_pool.h"
#include "common/db/param.h"
#include "common/db/transaction.h"

namespace lms::generate {

// Writes rows into one table with multi-row INSERTs (1,000 rows a statement, a commit
// every 20 statements, references unchecked): the way a large site is loaded in minutes,
// not hours. Not thread-safe; one per table and thread.
class BulkWriter {
 public:
  // `insert` is "INSERT INTO t (a, b, c)"; `columns` its column count.
  BulkWriter(db::ConnectionPool& pool, std::string insert, int columns);
  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  // Queues one row (exactly `columns` values); writes when a statement is full.
  [[nodiscard]] absl::Status Add(std::initializer_list<db::Param> row);
  // Writes what is queued and commits.
  [[nodiscard]] absl::Status Finish();
  [[nodiscard]] int64_t rows() const { return rows_; }

 private:
  absl::Status Flush();

  db::ConnectionPool& pool_;
  const std::string insert_;
  const int columns_;
  std::string row_marks_;
  std::vector<db::Param> pending_;
  std::optional<db::Transaction> tx_;
  int statements_in_tx_ = 0;
  int64_t rows_ = 0;
};

}  // namespace lms::generate
