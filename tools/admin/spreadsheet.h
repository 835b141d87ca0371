#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lms::admin {

// One row of a spreadsheet: its line number in the file (1-based, the header included)
// and its cells as text.
struct SheetRow {
  int line = 0;
  std::vector<std::string> cells;
};

// Reads a CSV file (RFC 4180: quoted fields may hold commas, quotes and newlines; a
// UTF-8 byte-order mark is skipped). Blank lines are skipped; line numbers stay true.
[[nodiscard]] absl::StatusOr<std::vector<SheetRow>> ReadCsv(const std::string& path);

// Reads the first worksheet of an XLSX file (shared and inline strings, numbers; a date
// cell arrives as its serial number). Row numbers are the sheet's own.
[[nodiscard]] absl::StatusOr<std::vector<SheetRow>> ReadXlsx(const std::string& path);

// By extension: .xlsx, else CSV.
[[nodiscard]] absl::StatusOr<std::vector<SheetRow>> ReadSpreadsheet(const std::string& path);

// The header row's columns by canonical name: each heading (trimmed, ASCII lowercased)
// looked up in `aliases` (English and Chinese headings to one name). INVALID_ARGUMENT
// naming an unknown heading with its line.
[[nodiscard]] absl::StatusOr<std::map<std::string, size_t>> MapHeader(
    const SheetRow& header, const std::map<std::string, std::string>& aliases);

// A row's cells by canonical column name, trimmed; "" for a column the file lacks.
class SheetCells {
 public:
  SheetCells(const std::map<std::string, size_t>& columns, const SheetRow& row)
      : columns_(columns), row_(row) {}
  [[nodiscard]] std::string Get(const std::string& name) const;

 private:
  const std::map<std::string, size_t>& columns_;
  const SheetRow& row_;
};

}  // namespace lms::admin
