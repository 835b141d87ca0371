#include "common/db/connection.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <cmath>
#include <variant>

namespace lms::db {
namespace {

constexpr char kSetMariaDbLimit[] = "SET SESSION max_statement_time = ?";
constexpr char kSetMySqlLimit[] = "SET SESSION max_execution_time = ?";
constexpr char kPing[] = "SELECT 1";

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

Connection::Connection(std::unique_ptr<sql::Connection> connection, bool is_mariadb)
    : connection_(std::move(connection)), is_mariadb_(is_mariadb) {}

Connection::~Connection() {
  // Statements must close before their connection.
  statements_.clear();
  connection_.reset();
}

sql::PreparedStatement& Connection::Prepare(absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return *it->second;
  std::unique_ptr<sql::PreparedStatement> statement(
      connection_->prepareStatement(sql::SQLString(sql.data(), sql.size())));
  auto& slot = statements_[std::string(sql)];
  slot = std::move(statement);
  return *slot;
}

sql::PreparedStatement& Connection::Bind(absl::string_view sql, absl::Span<const Param> params) {
  sql::PreparedStatement& statement = Prepare(sql);
  unsigned int index = 1;
  for (const Param& param : params) {
    std::visit(Overloaded{
                   [&](std::nullptr_t) { statement.setNull(index, 0); },
                   [&](int64_t v) { statement.setInt64(index, v); },
                   [&](const std::string& v) { statement.setString(index, v); },
                   [&](double v) { statement.setDouble(index, v); },
               },
               param.value());
    ++index;
  }
  return statement;
}

void Connection::SetStatementTimeLimit(absl::Duration limit) {
  // Round down to 100 ms, so the limit never reaches past the caller's deadline and
  // successive calls with similar deadlines reuse the session's setting.
  const int64_t decis = std::max<int64_t>(1, absl::ToInt64Milliseconds(limit) / 100);
  if (decis == statement_limit_decis_) return;
  if (is_mariadb_) {
    Bind(kSetMariaDbLimit, {static_cast<double>(decis) / 10.0}).execute();
  } else {
    Bind(kSetMySqlLimit, {decis * 100}).execute();
  }
  statement_limit_decis_ = decis;
}

void Connection::Commit() { connection_->commit(); }

void Connection::Rollback() { connection_->rollback(); }

bool Connection::IsAlive() {
  try {
    std::unique_ptr<sql::ResultSet> result(Bind(kPing, {}).executeQuery());
    const bool alive = result->next();
    connection_->commit();
    return alive;
  } catch (const std::exception&) {
    broken_ = true;
    return false;
  }
}

}  // namespace lms::db
