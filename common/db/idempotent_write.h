#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/db/request_log.h"
#include "common/db/run_transaction.h"

namespace lms::db {

// Runs a retriable mutation exactly once per (scope, request_id), in one transaction:
// `mutate(tx) -> StatusOr<int64_t>` makes the change and returns the id of what it
// changed; `load(tx, id) -> StatusOr<T>` reads the outcome. A retry of an id that already
// committed skips `mutate` and answers `load` of the recorded id, as it is now. An empty
// request_id opts out of the log. The request log row is written in the same transaction
// as the change, so an acknowledged write and its record commit together or not at all.
template <typename T, typename Mutate, typename Load>
[[nodiscard]] absl::StatusOr<T> RunIdempotent(ConnectionPool& pool, absl::Time deadline,
                                              absl::string_view scope,
                                              const std::string& request_id, Mutate&& mutate,
                                              Load&& load) {
  const RequestLog request_log;
  return RunTransactionFor<T>(pool, deadline, [&](Transaction& tx) -> absl::StatusOr<T> {
    if (!request_id.empty()) {
      absl::StatusOr<std::optional<int64_t>> prior = request_log.Find(tx, scope, request_id);
      if (!prior.ok()) return prior.status();
      if (prior->has_value()) return load(tx, **prior);
    }
    absl::StatusOr<int64_t> id = mutate(tx);
    if (!id.ok()) return id.status();
    if (!request_id.empty()) {
      if (absl::Status recorded = request_log.Record(tx, scope, request_id, *id); !recorded.ok()) {
        return recorded;
      }
    }
    return load(tx, *id);
  });
}

}  // namespace lms::db
