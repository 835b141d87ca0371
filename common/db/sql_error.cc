#include "common/db/sql_error.h"

#include <cppconn/exception.h>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace lms::db {
namespace {

constexpr char kRetryablePayload[] = "lms.db/retryable";

}  // namespace

bool IsConnectionLost(int error_code) {
  switch (error_code) {
    case 1040:  // too many connections
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed
    case 2002:  // can't connect through socket
    case 2003:  // can't connect over TCP
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2026:  // SSL error
    case 2055:  // lost connection (system error)
      return true;
    default:
      return false;
  }
}

absl::Status MarkRetryable(absl::Status status) {
  status.SetPayload(kRetryablePayload, absl::Cord("1"));
  return status;
}

bool IsRetryableConflict(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted &&
         status.GetPayload(kRetryablePayload).has_value();
}

absl::Status StatusFromSqlError(int error_code, absl::string_view sql_state,
                                absl::string_view server_message, absl::string_view context) {
  switch (error_code) {
    case 1062:
    case 1586:
      return absl::AlreadyExistsError(absl::StrCat(context, ": already exists"));
    case 1213:
    case 1205:
    case 1020:
      return MarkRetryable(
          absl::AbortedError(absl::StrCat(context, ": conflicting concurrent change")));
    case 1969:
    case 3024:
    case 1317:
      return absl::DeadlineExceededError(absl::StrCat(context, ": deadline exceeded"));
    case 1451:
    case 1452:
      return absl::FailedPreconditionError(
          absl::StrCat(context, ": refers to, or is referred to by, another record"));
    case 1366:
    case 1406:
      return absl::InvalidArgumentError(absl::StrCat(context, ": value does not fit"));
    case 1461:
      // The database's room for prepared statements is used up (max_prepared_stmt_count,
      // shared by every connection of every server): its trouble, not the request's.
      log::Error("db_prepared_statement_limit",
                 {{"context", context},
                  {"hint", "raise max_prepared_stmt_count (deploy/mariadb.sh sets 262144)"}});
      return absl::UnavailableError(
          absl::StrCat(context, ": database unavailable (prepared statement limit)"));
    default:
      break;
  }
  // Connector/C++ reports some lost connections with code 0 and state 08xxx.
  if (IsConnectionLost(error_code) || (error_code == 0 && sql_state.substr(0, 2) == "08")) {
    log::Warn("db_unavailable", {{"context", context}, {"mysql_error", error_code}});
    return absl::UnavailableError(absl::StrCat(context, ": database unavailable"));
  }
  log::Error("db_error", {{"context", context},
                          {"mysql_error", error_code},
                          {"sql_state", sql_state},
                          {"message", server_message}});
  return absl::InternalError(absl::StrCat(context, ": database error ", error_code));
}

absl::Status StatusFromSqlException(const sql::SQLException& e, absl::string_view context) {
  return StatusFromSqlError(e.getErrorCode(), e.getSQLState(), e.what(), context);
}

}  // namespace lms::db
