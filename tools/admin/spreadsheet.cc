#include "tools/admin/spreadsheet.h"

#include <zip.h>

#include <fstream>
#include <memory>
#include <pugixml.hpp>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lms::admin {
namespace {

bool IsBlank(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    if (!absl::StripAsciiWhitespace(cell).empty()) return false;
  }
  return true;
}

// "BC12" -> 54 (0-based column of the cell reference).
int ColumnOf(const std::string& reference) {
  int column = 0;
  for (const char c : reference) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) break;
    column = column * 26 + (absl::ascii_toupper(static_cast<unsigned char>(c)) - 'A' + 1);
  }
  return column - 1;
}

absl::StatusOr<std::string> ReadZipEntry(zip_t* archive, const char* name, bool optional) {
  zip_stat_t stat;
  if (zip_stat(archive, name, 0, &stat) != 0) {
    if (optional) return std::string();
    return absl::InvalidArgumentError(absl::StrCat("not an XLSX workbook: no ", name));
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(archive, name, 0), &zip_fclose);
  if (file == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot open ", name));
  std::string data(stat.size, '\0');
  if (zip_fread(file.get(), data.data(), stat.size) != static_cast<zip_int64_t>(stat.size)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", name));
  }
  return data;
}

// The text of a shared string or inline string item: its <t> runs joined.
std::string ItemText(const pugi::xml_node& item) {
  std::string text;
  for (const pugi::xpath_node& t : item.select_nodes(".//*[local-name()='t']")) {
    text += t.node().text().get();
  }
  return text;
}

}  // namespace

absl::StatusOr<std::vector<SheetRow>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  std::vector<SheetRow> rows;
  SheetRow row{1, {}};
  std::string cell;
  int line = 1;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.cells.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.cells.push_back(std::move(cell));
      cell.clear();
      if (!IsBlank(row.cells)) rows.push_back(std::move(row));
      row = SheetRow{++line, {}};
    } else {
      cell.push_back(c);
    }
  }
  if (quoted)
    return absl::InvalidArgumentError(absl::StrCat("line ", row.line, ": unclosed quote"));
  row.cells.push_back(std::move(cell));
  if (!IsBlank(row.cells)) rows.push_back(std::move(row));
  return rows;
}

absl::StatusOr<std::vector<SheetRow>> ReadXlsx(const std::string& path) {
  int error = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY, &error),
                                                         &zip_discard);
  if (archive == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open ", path, " as an XLSX workbook"));
  }
  absl::StatusOr<std::string> shared_xml =
      ReadZipEntry(archive.get(), "xl/sharedStrings.xml", /*optional=*/true);
  if (!shared_xml.ok()) return shared_xml.status();
  absl::StatusOr<std::string> sheet_xml =
      ReadZipEntry(archive.get(), "xl/worksheets/sheet1.xml", /*optional=*/false);
  if (!sheet_xml.ok()) return sheet_xml.status();

  std::vector<std::string> shared;
  pugi::xml_document shared_doc;
  if (!shared_xml->empty() && shared_doc.load_buffer(shared_xml->data(), shared_xml->size())) {
    for (const pugi::xml_node& item : shared_doc.document_element().children("si")) {
      shared.push_back(ItemText(item));
    }
  }
  pugi::xml_document sheet;
  if (!sheet.load_buffer(sheet_xml->data(), sheet_xml->size())) {
    return absl::InvalidArgumentError("the first worksheet is not valid XML");
  }
  std::vector<SheetRow> rows;
  for (const pugi::xml_node& row : sheet.document_element().child("sheetData").children("row")) {
    SheetRow out{row.attribute("r").as_int(static_cast<int>(rows.size()) + 1), {}};
    for (const pugi::xml_node& c : row.children("c")) {
      const int column = ColumnOf(c.attribute("r").as_string());
      if (column < 0 || column > 1000) continue;
      if (static_cast<int>(out.cells.size()) <= column) out.cells.resize(column + 1);
      const std::string type = c.attribute("t").as_string();
      if (type == "s") {
        const size_t index = c.child("v").text().as_ullong(shared.size());
        out.cells[column] = index < shared.size() ? shared[index] : "";
      } else if (type == "inlineStr") {
        out.cells[column] = ItemText(c.child("is"));
      } else {
        out.cells[column] = c.child("v").text().get();
      }
    }
    if (!IsBlank(out.cells)) rows.push_back(std::move(out));
  }
  return rows;
}

absl::StatusOr<std::vector<SheetRow>> ReadSpreadsheet(const std::string& path) {
  if (absl::EndsWithIgnoreCase(path, ".xlsx")) return ReadXlsx(path);
  return ReadCsv(path);
}

absl::StatusOr<std::map<std::string, size_t>> MapHeader(
    const SheetRow& header, const std::map<std::string, std::string>& aliases) {
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header.cells[i]));
    const auto alias = aliases.find(name);
    if (alias == aliases.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ": unknown column `", header.cells[i], "`"));
    }
    columns[alias->second] = i;
  }
  return columns;
}

std::string SheetCells::Get(const std::string& name) const {
  const auto it = columns_.find(name);
  if (it == columns_.end() || it->second >= row_.cells.size()) return "";
  return std::string(absl::StripAsciiWhitespace(row_.cells[it->second]));
}

}  // namespace lms::admin
