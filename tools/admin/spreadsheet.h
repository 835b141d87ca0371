#pragma once

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

}  // namespace lms::admin
