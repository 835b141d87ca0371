#include "common/db/run_transaction.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/sql_error.h"

namespace lms::db {
namespace {

// 1-2 ms, 2-4 ms, ... 16-32 ms: desynchronises writers that deadlocked on each other.
absl::Duration Backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int64_t base_us = 1000LL << (attempt - 1);
  return absl::Microseconds(base_us + static_cast<int64_t>(random() % base_us));
}

// `body`'s status; an exception it throws becomes INTERNAL (the caller's transaction
// then rolls back as it goes out of scope).
absl::Status RunBody(absl::FunctionRef<absl::Status(Transaction&)> body, Transaction& tx) {
  try {
    return body(tx);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("transaction failed with an exception: ", e.what()));
  } catch (...) {
    return absl::InternalError("transaction failed with an unknown exception");
  }
}

}  // namespace

absl::Status RunTransaction(ConnectionPool& pool, absl::Time deadline,
                            absl::FunctionRef<absl::Status(Transaction&)> body) {
  bool retried_lost_connection = false;
  absl::Status last;
  for (int attempt = 1; attempt <= kMaxTransactionAttempts; ++attempt) {
    absl::StatusOr<Transaction> tx = pool.Begin(deadline);
    if (!tx.ok()) return tx.status();
    bool committing = false;
    last = RunBody(body, *tx);
    if (last.ok()) {
      committing = true;
      last = tx->Commit();
      if (last.ok()) return last;
    }
    const bool lost_before_commit =
        last.code() == absl::StatusCode::kUnavailable && !committing && !retried_lost_connection;
    if (!IsRetryableConflict(last) && !lost_before_commit) return last;
    if (lost_before_commit) {
      retried_lost_connection = true;
      continue;  // The pool hands out a fresh connection; no back-off needed.
    }
    const absl::Duration pause = Backoff(attempt);
    if (absl::Now() + pause >= deadline) break;
    absl::SleepFor(pause);
  }
  if (IsRetryableConflict(last)) {
    return absl::AbortedError(absl::StrCat("gave up after ", kMaxTransactionAttempts,
                                           " conflicting attempts; retry later"));
  }
  return last;
}

}  // namespace lms::db
