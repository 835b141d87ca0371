#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/export/csv_writer.h"

namespace lms::export_file {

// A column of an exported table: its heading and a width in characters (XLSX).
struct Column {
  std::string title;
  int width = 12;
};

// A label and its text, written beside the table where the format has room (the XLSX
// workbook's second sheet): a report's stamp.
using Note = std::pair<std::string, std::string>;

// A table written to a file in one format, streamed: the header, the rows in order, then
// Finish; Take hands over the bytes ready so far (a CSV's as its rows are written; an
// XLSX's only once finished, the zip's directory coming last). Memory stays bounded by a
// batch of rows however long the table. Not thread-safe.
class TableFile {
 public:
  virtual ~TableFile() = default;
  virtual absl::Status Header(const std::vector<Column>& columns) = 0;
  virtual absl::Status Row(const std::vector<Cell>& cells) = 0;
  virtual absl::Status Finish(const std::vector<Note>& notes) = 0;
  // At most `max` bytes of the file not yet taken ("" when none are ready).
  virtual absl::StatusOr<std::string> Take(size_t max) = 0;
};

// CSV as CsvWriter writes it (byte order mark, CRLF, RFC 4180, no formulas). Notes are
// not written: a line that is not a row would break the table in a spreadsheet.
[[nodiscard]] std::unique_ptr<TableFile> NewCsvTableFile();

// An XLSX workbook (libxlsxwriter in constant-memory mode: rows go to a temporary file as
// they come) with the table on a sheet named `sheet` — bold, frozen header row; numbers
// and fixed decimals as numbers, dates as dates, text as text (never a formula) — and the
// notes on a second sheet. The workbook is assembled in a temporary file under $TMPDIR
// (or /tmp), removed when the object goes.
[[nodiscard]] absl::StatusOr<std::unique_ptr<TableFile>> NewXlsxTableFile(const std::string& sheet);

}  // namespace lms::export_file
