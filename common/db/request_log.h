#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::db {

// The idempotency log of retriable mutations. A mutation with a request id first looks
// for its id (a retry then returns the first outcome), and records the id with its result
// in the same transaction as its effect. The primary key (scope, request_id) is the
// guarantee: two concurrent first attempts cannot both commit, the loser fails with
// ALREADY_EXISTS, is retried by the caller's transaction loop and then finds the record.
// Stateless; thread-safe.
class RequestLog {
 public:
  // The result id recorded for this request, if any.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> Find(Transaction& tx,
                                                            absl::string_view scope,
                                                            absl::string_view request_id) const;
  // Records the request at `now`; ABORTED (retryable) if a concurrent twin committed first.
  [[nodiscard]] absl::Status Record(Transaction& tx, absl::string_view scope,
                                    absl::string_view request_id, int64_t result_id,
                                    absl::Time now) const;
};

}  // namespace lms::db
