#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/db/connection.h"
#include "common/db/param.h"
#include "common/db/row.h"

namespace lms::db {

class ConnectionPool;

// A database transaction on a pooled connection (RAII, as userver's MySQL Transaction):
// it rolls back in its destructor unless Commit() succeeded, and then returns the
// connection to the pool (or drops it, if it broke). Every statement is a cached prepared
// statement with bound parameters. Every method returns a Status; no exception escapes.
// Not thread-safe; movable, not copyable.
class Transaction {
 public:
  Transaction(ConnectionPool* pool, std::unique_ptr<Connection> connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Runs a statement; returns the number of rows it changed.
  [[nodiscard]] absl::StatusOr<uint64_t> Execute(absl::string_view sql,
                                                 absl::Span<const Param> params);
  // Runs an INSERT; returns LAST_INSERT_ID().
  [[nodiscard]] absl::StatusOr<int64_t> Insert(absl::string_view sql,
                                               absl::Span<const Param> params);
  // Runs a query and calls `on_row` for each row.
  [[nodiscard]] absl::Status Query(absl::string_view sql, absl::Span<const Param> params,
                                   absl::FunctionRef<void(const Row&)> on_row);
  // Runs a query expected to return at most one row; the int64 in its first column.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> QueryInt64(absl::string_view sql,
                                                                  absl::Span<const Param> params);

  // Commits. After an error the outcome is unknown only for UNAVAILABLE (the connection
  // died during COMMIT); idempotency keys make a client's retry safe then.
  [[nodiscard]] absl::Status Commit();

 private:
  absl::Status Fail(const std::exception& e, absl::string_view context);
  void Close(bool commit_succeeded);

  ConnectionPool* pool_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace lms::db
