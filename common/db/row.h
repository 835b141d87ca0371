#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace sql {
class ResultSet;
}

namespace lms::db {

// The current row of a query, handed to a row callback. Columns are numbered from 1, as
// in SQL. Getters may throw Connector/C++ exceptions; Transaction::Query catches them, so
// use a Row only inside its callback.
class Row {
 public:
  explicit Row(sql::ResultSet& result) : result_(result) {}

  [[nodiscard]] bool IsNull(int column) const;
  [[nodiscard]] int64_t Int64(int column) const;
  [[nodiscard]] bool Bool(int column) const { return Int64(column) != 0; }
  [[nodiscard]] double Double(int column) const;
  [[nodiscard]] std::string String(int column) const;
  // A DATETIME(6) column read as UTC; absl::InfinitePast() for NULL.
  [[nodiscard]] absl::Time Time(int column) const;
  // A DATE column; nullopt for NULL.
  [[nodiscard]] std::optional<absl::CivilDay> Day(int column) const;

 private:
  sql::ResultSet& result_;
};

}  // namespace lms::db
