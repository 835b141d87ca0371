#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/civil_time.h"

namespace lms::export_file {

// A cell of an exported table: text, a whole number, a decimal with a fixed number of
// places (hours in hundredths: {3250, 2} is 32.50), or a date.
struct Decimal {
  int64_t scaled = 0;
  int places = 0;
};
using Cell = std::variant<std::string, int64_t, Decimal, absl::CivilDay>;

// Writes CSV the way Excel reads Chinese and numbers correctly (RFC 4180): a UTF-8 byte
// order mark first (without it Excel guesses the local code page and shows mojibake),
// CRLF line ends, numbers and dates bare so they are typed as such, text quoted when it
// holds a comma, a quote, a line break or edge spaces (quotes doubled). Text that a
// spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
// prefixed with an apostrophe: a member's name must never become a formula in an
// admin's Excel (CSV injection). Appends to `out`, so a streamed export flushes chunk by
// chunk. Not thread-safe.
class CsvWriter {
 public:
  explicit CsvWriter(std::string* out) : out_(out) {}

  // The byte order mark; once, before the first row.
  void ByteOrderMark();
  void Row(const std::vector<Cell>& cells);

 private:
  void Text(const std::string& text);

  std::string* out_;
};

}  // namespace lms::export_file
