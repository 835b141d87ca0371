#include "common/export/csv_writer.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lms::export_file {
namespace {

bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return false;
  if (text.front() == ' ' || text.back() == ' ') return true;
  return text.find_first_of(",\"\r\n") != std::string::npos;
}

// Spreadsheets evaluate a cell starting with these as a formula.
bool LooksLikeFormula(const std::string& text) {
  return !text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                           text.front() == '@' || text.front() == '\t' || text.front() == '\r');
}

std::string DecimalText(const Decimal& d) {
  if (d.places <= 0) return absl::StrCat(d.scaled);
  int64_t scale = 1;
  for (int i = 0; i < d.places; ++i) scale *= 10;
  const bool negative = d.scaled < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(d.scaled) : static_cast<uint64_t>(d.scaled);
  return absl::StrFormat("%s%d.%0*d", negative ? "-" : "", magnitude / scale, d.places,
                         magnitude % scale);
}

}  // namespace

void CsvWriter::ByteOrderMark() { out_->append("\xEF\xBB\xBF"); }

void CsvWriter::Text(const std::string& raw) {
  const std::string text = LooksLikeFormula(raw) ? absl::StrCat("'", raw) : raw;
  if (!NeedsQuotes(text)) {
    out_->append(text);
    return;
  }
  out_->push_back('"');
  for (const char c : text) {
    if (c == '"') out_->push_back('"');
    out_->push_back(c);
  }
  out_->push_back('"');
}

void CsvWriter::Row(const std::vector<Cell>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out_->push_back(',');
    const Cell& cell = cells[i];
    if (const auto* text = std::get_if<std::string>(&cell)) {
      Text(*text);
    } else if (const auto* number = std::get_if<int64_t>(&cell)) {
      absl::StrAppend(out_, *number);
    } else if (const auto* decimal = std::get_if<Decimal>(&cell)) {
      out_->append(DecimalText(*decimal));
    } else {
      out_->append(absl::FormatCivilTime(std::get<absl::CivilDay>(cell)));
    }
  }
  out_->append("\r\n");
}

}  // namespace lms::export_file
