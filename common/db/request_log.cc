#include "common/db/request_log.h"

#include "common/db/sql_error.h"

namespace lms::db {
namespace {

constexpr char kFind[] = "SELECT result_id FROM request_log WHERE scope = ? AND request_id = ?";
constexpr char kRecord[] =
    "INSERT INTO request_log (scope, request_id, result_id, created_at) VALUES (?, ?, ?, ?)";

}  // namespace

absl::StatusOr<std::optional<int64_t>> RequestLog::Find(Transaction& tx, absl::string_view scope,
                                                        absl::string_view request_id) const {
  return tx.QueryInt64(kFind, {std::string(scope), std::string(request_id)});
}

absl::Status RequestLog::Record(Transaction& tx, absl::string_view scope,
                                absl::string_view request_id, int64_t result_id,
                                absl::Time now) const {
  absl::StatusOr<uint64_t> inserted =
      tx.Execute(kRecord, {std::string(scope), std::string(request_id), result_id, now});
  if (inserted.status().code() == absl::StatusCode::kAlreadyExists) {
    // The twin committed between our Find and this insert: retrying the transaction
    // finds its record and returns its outcome.
    return MarkRetryable(absl::AbortedError("concurrent retry of the same request"));
  }
  return inserted.status();
}

}  // namespace lms::db
