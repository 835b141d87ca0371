#pragma once

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/connection.h"
#include "common/db/db_config.h"
#include "common/db/transaction.h"

namespace lms::db {

// Pool statistics for logs and benchmarks.
struct PoolStats {
  int open = 0;
  int idle = 0;
  int waiting = 0;
  uint64_t connects = 0;
  uint64_t connect_failures = 0;
};

// A bounded pool of database connections.
//
// - At most `pool_size` connections are open; a caller waits for one until its deadline,
//   then gets UNAVAILABLE (the database is overloaded or gone).
// - Connections are opened lazily; an unreachable database is UNAVAILABLE at once
//   (connect timeout), and nothing is retried behind the caller's back.
// - A connection that errored with a lost-connection code is dropped, and every idle
//   connection opened before that error is dropped with it (after a database restart
//   they are all dead): the next caller gets a fresh connection, so the pool recovers by
//   itself as soon as the database is back. An idle connection unused for a while is
//   pinged before reuse.
// Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(DbConfig config);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Starts a transaction whose statements end by `deadline` (max_statement_time).
  // UNAVAILABLE when no connection can be had by then, DEADLINE_EXCEEDED when the
  // deadline has already passed.
  [[nodiscard]] absl::StatusOr<Transaction> Begin(absl::Time deadline);

  // A round trip to the database (health checks).
  [[nodiscard]] absl::Status Ping(absl::Time deadline);

  [[nodiscard]] PoolStats stats() const;
  const DbConfig& config() const { return config_; }

 private:
  friend class Transaction;

  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Time deadline);
  absl::StatusOr<std::unique_ptr<Connection>> Open();
  // Takes a connection back; drops it if broken.
  void Release(std::unique_ptr<Connection> connection);

  const DbConfig config_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  // Bumped on every lost connection; idle connections from an older epoch are dropped.
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t connects_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t connect_failures_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lms::db
