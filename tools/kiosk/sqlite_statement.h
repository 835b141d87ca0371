#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lms::kiosk {

// One prepared statement, finalised when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    status_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value) {
    if (status_ == SQLITE_OK) status_ = sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  Statement& Bind(int index, const std::string& value) {
    if (status_ == SQLITE_OK) {
      status_ = sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                  SQLITE_TRANSIENT);
    }
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error (as an absl status by Check).
  int Step() {
    if (status_ != SQLITE_OK) return status_;
    return sqlite3_step(statement_);
  }
  absl::Status Run() {
    const int stepped = Step();
    return stepped == SQLITE_DONE ? absl::OkStatus() : Error(stepped);
  }
  absl::Status Error(int code) const {
    return absl::InternalError(
        absl::StrCat("kiosk store: ", sqlite3_errstr(code), ": ", sqlite3_errmsg(db_)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text == nullptr ? "" : reinterpret_cast<const char*>(text);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  int status_ = SQLITE_OK;
};

// Runs statements without parameters (schema, BEGIN, COMMIT).
inline absl::Status ExecSql(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return absl::InternalError(absl::StrCat("kiosk store: ", message));
  }
  return absl::OkStatus();
}

}  // namespace lms::kiosk
