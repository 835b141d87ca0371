#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/db/request_log.h"
#include "common/db/run_transaction.h"

namespace lms::call {

// The one path every write runs on. In one transaction, retried on deadlocks and lock
// waits (db::RunTransaction):
//   1. the call's subtree decision is held (HoldScope: shared locks on the closure pair
//      and the named rows, so a move or transfer cannot slip in before the commit);
//   2. the change;
//   3. the call's before-commit hook (tests only: it pauses a write there to race it);
// and for RunIdempotentWrite, the request id is looked up first and recorded with the
// change under the RPC's full name and the caller (request_log), so a retry is answered
// without applying twice.

// A write without a request id, or whose retries are naturally harmless (revoking,
// setting a PIN): `body(tx) -> absl::StatusOr<T>`.
template <typename T, typename Body>
[[nodiscard]] absl::StatusOr<T> RunWrite(db::ConnectionPool& pool, const CallContext& call,
                                         Body&& body) {
  return db::RunTransactionFor<T>(pool, call.deadline,
                                  [&](db::Transaction& tx) -> absl::StatusOr<T> {
                                    if (absl::Status held = HoldScope(tx, call); !held.ok()) {
                                      return held;
                                    }
                                    absl::StatusOr<T> result = body(tx);
                                    if (result.ok() && call.before_commit != nullptr) {
                                      (*call.before_commit)(call);
                                    }
                                    return result;
                                  });
}

// The same for a body that produces no value: `body(tx) -> absl::Status`.
template <typename Body>
[[nodiscard]] absl::Status RunWrite(db::ConnectionPool& pool, const CallContext& call,
                                    Body&& body) {
  return RunWrite<bool>(pool, call,
                        [&](db::Transaction& tx) -> absl::StatusOr<bool> {
                          if (absl::Status done = body(tx); !done.ok()) return done;
                          return true;
                        })
      .status();
}

// A retriable write keyed by the call's request id: `mutate(tx) -> absl::StatusOr<int64_t>`
// makes the change and returns the id of what it changed; `load(tx, id) ->
// absl::StatusOr<T>` reads the answer. A retry of a recorded request id skips `mutate`
// and answers `replay(tx, recorded id)`: pass `load` for the stored outcome (as it is
// now), or a function that re-runs what the answer must carry afresh (a device
// credential shown only once). An empty request id opts out of the record.
template <typename T, typename Mutate, typename Load, typename Replay>
[[nodiscard]] absl::StatusOr<T> RunIdempotentWrite(db::ConnectionPool& pool,
                                                   const CallContext& call, absl::Time now,
                                                   Mutate&& mutate, Load&& load, Replay&& replay) {
  const std::string scope = auth::RequestScope(call.method, call.caller);
  const db::RequestLog request_log;
  return RunWrite<T>(pool, call, [&](db::Transaction& tx) -> absl::StatusOr<T> {
    if (!call.request_id.empty()) {
      absl::StatusOr<std::optional<int64_t>> prior = request_log.Find(tx, scope, call.request_id);
      if (!prior.ok()) return prior.status();
      if (prior->has_value()) return replay(tx, **prior);
    }
    absl::StatusOr<int64_t> id = mutate(tx);
    if (!id.ok()) return id.status();
    if (!call.request_id.empty()) {
      if (absl::Status recorded = request_log.Record(tx, scope, call.request_id, *id, now);
          !recorded.ok()) {
        return recorded;
      }
    }
    return load(tx, *id);
  });
}

// The common case: a retry answers the stored outcome.
template <typename T, typename Mutate, typename Load>
[[nodiscard]] absl::StatusOr<T> RunIdempotentWrite(db::ConnectionPool& pool,
                                                   const CallContext& call, absl::Time now,
                                                   Mutate&& mutate, Load&& load) {
  return RunIdempotentWrite<T>(pool, call, now, std::forward<Mutate>(mutate), load, load);
}

}  // namespace lms::call
