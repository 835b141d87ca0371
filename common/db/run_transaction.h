#pragma once

#include <optional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/db/transaction.h"

namespace lms::db {

// How often a transaction is tried before a conflict is reported as ABORTED.
inline constexpr int kMaxTransactionAttempts = 6;

// Runs `body` in a fresh transaction and commits it if `body` returns OK.
//
// The whole transaction is retried, up to kMaxTransactionAttempts times with a short
// randomised back-off, when `body` or the commit hits a deadlock, a lock-wait timeout or
// "record has changed" (1213, 1205, 1020); then it returns ABORTED. A connection lost
// before COMMIT is retried once on a fresh connection (nothing was committed); one lost
// during COMMIT is UNAVAILABLE. `body` must therefore have no effects outside the
// transaction. An exception thrown by `body` rolls the transaction back and returns
// INTERNAL (a bug is never retried, and never ends the process). Never waits past
// `deadline`.
[[nodiscard]] absl::Status RunTransaction(ConnectionPool& pool, absl::Time deadline,
                                          absl::FunctionRef<absl::Status(Transaction&)> body);

// As above for a body that produces a value.
template <typename T, typename Body>
[[nodiscard]] absl::StatusOr<T> RunTransactionFor(ConnectionPool& pool, absl::Time deadline,
                                                  Body&& body) {
  std::optional<T> result;
  absl::Status status = RunTransaction(pool, deadline, [&](Transaction& tx) -> absl::Status {
    absl::StatusOr<T> value = body(tx);
    if (!value.ok()) return value.status();
    result = std::move(value).value();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*result);
}

}  // namespace lms::db
