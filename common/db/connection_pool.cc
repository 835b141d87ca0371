#include "common/db/connection_pool.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/metadata.h>
#include <cppconn/prepared_statement.h>
#include <mysql_driver.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/sql_error.h"
#include "common/log/log.h"

namespace lms::db {
namespace {

// UTC, strict mode (a too-long value is an error, never silently truncated), and
// READ COMMITTED: fewer gap locks, so fewer deadlocks among concurrent writers.
constexpr char kSessionSetup[] =
    "SET SESSION time_zone = '+00:00', "
    "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION'";
constexpr char kIsolation[] = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

sql::ConnectOptionsMap ConnectOptions(const DbConfig& config) {
  sql::ConnectOptionsMap options;
  if (!config.socket.empty()) {
    options["hostName"] = sql::SQLString(absl::StrCat("unix://", config.socket));
  } else {
    options["hostName"] = sql::SQLString(absl::StrCat("tcp://", config.host, ":", config.port));
  }
  options["userName"] = sql::SQLString(config.user);
  options["password"] = sql::SQLString(config.password);
  options["schema"] = sql::SQLString(config.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["OPT_RECONNECT"] = false;  // A silent reconnect would lose a transaction.
  const int connect_seconds =
      std::max<int>(1, static_cast<int>(absl::ToInt64Seconds(config.connect_timeout)));
  options["OPT_CONNECT_TIMEOUT"] = connect_seconds;
  // A half-dead TCP peer must not hang a worker forever: the socket gives up a little
  // after the longest statement could have run.
  const int io_seconds = static_cast<int>(absl::ToInt64Seconds(config.max_statement_time)) + 5;
  options["OPT_READ_TIMEOUT"] = io_seconds;
  options["OPT_WRITE_TIMEOUT"] = io_seconds;
  return options;
}

// Connector/C++ 1.1 is not safe to start from two threads at once: its driver singleton
// is created unguarded, and the C client library initialises itself on the first
// connection. Until one connection has succeeded, connects in this process run one at a
// time (a thread-safe static creates the driver).
sql::Connection* Connect(sql::ConnectOptionsMap& options) {
  static sql::Driver* const driver = sql::mysql::get_driver_instance();
  ABSL_CONST_INIT static absl::Mutex first_connect_mu(absl::kConstInit);
  static std::atomic<bool> initialized{false};
  if (initialized.load(std::memory_order_acquire)) return driver->connect(options);
  absl::MutexLock lock(&first_connect_mu);
  sql::Connection* connection = driver->connect(options);
  initialized.store(true, std::memory_order_release);
  return connection;
}

}  // namespace

ConnectionPool::ConnectionPool(DbConfig config) : config_(std::move(config)) {}

ConnectionPool::~ConnectionPool() {
  std::vector<std::unique_ptr<Connection>> idle;
  {
    absl::MutexLock lock(&mu_);
    idle.swap(idle_);
  }
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Open() {
  try {
    sql::ConnectOptionsMap options = ConnectOptions(config_);
    std::unique_ptr<sql::Connection> raw(Connect(options));
    raw->setAutoCommit(false);
    const bool is_mariadb =
        absl::StrContains(std::string(raw->getMetaData()->getDatabaseProductVersion()), "MariaDB");
    auto connection = std::make_unique<Connection>(std::move(raw), is_mariadb);
    connection->Bind(kSessionSetup, {}).execute();
    connection->Bind(kIsolation, {}).execute();
    connection->Commit();
    return connection;
  } catch (const sql::SQLException& e) {
    const absl::Status status = StatusFromSqlException(e, "connect");
    // Bad credentials or an unknown database are configuration errors; to a caller they
    // mean the same as a database that is down.
    return absl::UnavailableError(absl::StrCat("database unavailable (", status.message(), ")"));
  } catch (const std::exception& e) {
    log::Warn("db_connect_failed", {{"error", e.what()}});
    return absl::UnavailableError("database unavailable");
  }
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Acquire(absl::Time deadline) {
  const absl::Time now = absl::Now();
  if (now >= deadline) return absl::DeadlineExceededError("deadline exceeded before the query");
  const absl::Time wait_until = std::min(deadline, now + config_.acquire_timeout);
  std::unique_ptr<Connection> connection;
  uint64_t epoch = 0;
  {
    absl::MutexLock lock(&mu_);
    ++waiting_;
    const auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < config_.pool_size;
    };
    const bool ready = mu_.AwaitWithDeadline(absl::Condition(&can_proceed), wait_until);
    --waiting_;
    if (!ready) return absl::UnavailableError("database busy: no free connection in time");
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // Reserve the slot; connect outside the lock.
    }
    epoch = epoch_;
  }
  if (connection != nullptr) {
    // Pinging only connections idle for a while keeps the fast path at zero round trips.
    if (absl::Now() - connection->last_used() < config_.validate_after_idle ||
        connection->IsAlive()) {
      return connection;
    }
    Release(std::move(connection));  // Broken: dropped, and the epoch moves on.
    return Acquire(deadline);
  }
  absl::StatusOr<std::unique_ptr<Connection>> opened = Open();
  absl::MutexLock lock(&mu_);
  if (!opened.ok()) {
    --open_;
    ++connect_failures_;
    return opened.status();
  }
  ++connects_;
  (*opened)->set_epoch(epoch);
  return opened;
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  std::vector<std::unique_ptr<Connection>> dropped;
  absl::MutexLock lock(&mu_);
  if (connection->broken() || connection->epoch() < epoch_) {
    if (connection->broken()) {
      // Everything idle was opened before the failure and is most likely dead too.
      ++epoch_;
      open_ -= static_cast<int>(idle_.size());
      dropped.swap(idle_);
    }
    --open_;
    dropped.push_back(std::move(connection));
    return;  // `dropped` closes the connections after the lock is released.
  }
  connection->Touch(absl::Now());
  idle_.push_back(std::move(connection));
}

absl::StatusOr<Transaction> ConnectionPool::Begin(absl::Time deadline) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Acquire(deadline);
  if (!connection.ok()) return connection.status();
  const absl::Duration remaining = deadline - absl::Now();
  if (remaining <= absl::ZeroDuration()) {
    Release(std::move(*connection));
    return absl::DeadlineExceededError("deadline exceeded waiting for a connection");
  }
  Connection* raw = connection->get();
  Transaction tx(this, std::move(*connection));
  try {
    raw->SetStatementTimeLimit(std::min(remaining, config_.max_statement_time));
  } catch (const sql::SQLException& e) {
    if (IsConnectionLost(e.getErrorCode())) raw->MarkBroken();
    return StatusFromSqlException(e, "set statement time limit");
  }
  return tx;
}

absl::Status ConnectionPool::Ping(absl::Time deadline) {
  absl::StatusOr<Transaction> tx = Begin(deadline);
  if (!tx.ok()) return tx.status();
  absl::StatusOr<std::optional<int64_t>> one = tx->QueryInt64("SELECT 1", {});
  if (!one.ok()) return one.status();
  return tx->Commit();
}

PoolStats ConnectionPool::stats() const {
  absl::MutexLock lock(&mu_);
  return PoolStats{open_, static_cast<int>(idle_.size()), waiting_, connects_, connect_failures_};
}

}  // namespace lms::db
