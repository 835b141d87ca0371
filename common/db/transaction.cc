#include "common/db/transaction.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/connection_pool.h"
#include "common/db/sql_error.h"

namespace lms::db {
namespace {

constexpr char kLastInsertId[] = "SELECT LAST_INSERT_ID()";

// A short, SQL-free name for a statement in errors: its first word or two.
absl::string_view Describe(absl::string_view sql) {
  const size_t end = sql.find(' ', sql.find(' ') + 1);
  return sql.substr(0, std::min(end, sql.size()));
}

// Whether a statement answers with rows. Execute runs statements for their effect and
// never reads a result; a result left unread puts the connection out of sync with the
// server (the next statement fails, and the one after waits for the read timeout).
bool ReturnsRows(absl::string_view sql) {
  const absl::string_view head = absl::StripLeadingAsciiWhitespace(sql).substr(0, 8);
  for (const absl::string_view word : {"SELECT", "SHOW", "WITH", "EXPLAIN", "DESCRIBE", "VALUES"}) {
    if (absl::StartsWithIgnoreCase(head, word)) return true;
  }
  return false;
}

}  // namespace

Transaction::Transaction(ConnectionPool* pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

Transaction::Transaction(Transaction&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

Transaction::~Transaction() {
  if (connection_ != nullptr) Close(/*commit_succeeded=*/false);
}

void Transaction::Close(bool commit_succeeded) {
  if (!commit_succeeded && !connection_->broken()) {
    try {
      connection_->Rollback();
    } catch (const std::exception&) {
      connection_->MarkBroken();
    }
  }
  pool_->Release(std::move(connection_));
}

absl::Status Transaction::Fail(const std::exception& e, absl::string_view context) {
  if (const auto* sql_error = dynamic_cast<const sql::SQLException*>(&e)) {
    const int code = sql_error->getErrorCode();
    const absl::Status status = StatusFromSqlException(*sql_error, context);
    if (IsConnectionLost(code) || status.code() == absl::StatusCode::kUnavailable) {
      connection_->MarkBroken();
    }
    return status;
  }
  // Not the database's answer: a driver or program fault. The connection's state is
  // unknown, so it goes; the call fails as INTERNAL, and nothing retries a bug.
  connection_->MarkBroken();
  return absl::InternalError(absl::StrCat(context, ": unexpected driver failure: ", e.what()));
}

absl::StatusOr<uint64_t> Transaction::Execute(absl::string_view sql,
                                              absl::Span<const Param> params) {
  if (connection_ == nullptr) return absl::InternalError("transaction already finished");
  if (ReturnsRows(sql)) {
    return absl::InternalError(
        absl::StrCat(Describe(sql), ": a query runs with Query, not Execute"));
  }
  try {
    return static_cast<uint64_t>(connection_->Bind(sql, params).executeUpdate());
  } catch (const std::exception& e) {
    return Fail(e, Describe(sql));
  }
}

absl::StatusOr<int64_t> Transaction::Insert(absl::string_view sql, absl::Span<const Param> params) {
  if (connection_ == nullptr) return absl::InternalError("transaction already finished");
  try {
    connection_->Bind(sql, params).executeUpdate();
    std::unique_ptr<sql::ResultSet> result(connection_->Bind(kLastInsertId, {}).executeQuery());
    if (!result->next()) return absl::InternalError("no LAST_INSERT_ID");
    return static_cast<int64_t>(result->getInt64(1));
  } catch (const std::exception& e) {
    return Fail(e, Describe(sql));
  }
}

absl::Status Transaction::Query(absl::string_view sql, absl::Span<const Param> params,
                                absl::FunctionRef<void(const Row&)> on_row) {
  if (connection_ == nullptr) return absl::InternalError("transaction already finished");
  try {
    std::unique_ptr<sql::ResultSet> result(connection_->Bind(sql, params).executeQuery());
    const Row row(*result);
    while (result->next()) on_row(row);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return Fail(e, Describe(sql));
  }
}

absl::StatusOr<std::optional<int64_t>> Transaction::QueryInt64(absl::string_view sql,
                                                               absl::Span<const Param> params) {
  std::optional<int64_t> value;
  absl::Status status = Query(sql, params, [&](const Row& row) {
    if (!value.has_value() && !row.IsNull(1)) value = row.Int64(1);
  });
  if (!status.ok()) return status;
  return value;
}

absl::Status Transaction::Commit() {
  if (connection_ == nullptr) return absl::InternalError("transaction already finished");
  try {
    connection_->Commit();
  } catch (const std::exception& e) {
    absl::Status status = Fail(e, "COMMIT");
    Close(/*commit_succeeded=*/false);
    return status;
  }
  Close(/*commit_succeeded=*/true);
  return absl::OkStatus();
}

}  // namespace lms::db
