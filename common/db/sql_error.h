#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sql {
class SQLException;
}

namespace lms::db {

// The one place where a Connector/C++ exception becomes an absl::Status. The client-facing
// message never carries SQL text or the server's message (which may quote data); those
// are logged instead.
//
//   1062 duplicate key                      -> ALREADY_EXISTS
//   1213 deadlock, 1205 lock wait, 1020     -> ABORTED (marked retryable)
//   1969/3024 statement time limit, 1317    -> DEADLINE_EXCEEDED
//   2002/2003/2006/2013/2055, 1053, 1927... -> UNAVAILABLE (the connection is dropped)
//   1451/1452 foreign key                   -> FAILED_PRECONDITION
//   1366/1406 bad or too-long value         -> INVALID_ARGUMENT
//   anything else                           -> INTERNAL
[[nodiscard]] absl::Status StatusFromSqlError(int error_code, absl::string_view sql_state,
                                              absl::string_view server_message,
                                              absl::string_view context);
[[nodiscard]] absl::Status StatusFromSqlException(const sql::SQLException& e,
                                                  absl::string_view context);

// The connection can no longer be trusted and must not go back to the pool.
[[nodiscard]] bool IsConnectionLost(int error_code);

// A transient conflict: retrying the whole transaction may succeed.
[[nodiscard]] bool IsRetryableConflict(const absl::Status& status);

// Marks `status` as a transient conflict (used for deadlocks and by tests).
[[nodiscard]] absl::Status MarkRetryable(absl::Status status);

}  // namespace lms::db
