#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/export/table_file.h"
#include "common/status/status_macros.h"

namespace lms::export_file {
namespace {

// libxlsxwriter's error as a status.
absl::Status Checked(lxw_error error) {
  if (error == LXW_NO_ERROR) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("workbook: ", lxw_strerror(error)));
}

std::string TemporaryDirectory() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

class XlsxTableFile final : public TableFile {
 public:
  ~XlsxTableFile() override {
    // An export abandoned before Finish still closes the workbook, which frees its memory
    // and temporary files.
    if (workbook_ != nullptr) workbook_close(workbook_);
    if (file_ != nullptr) std::fclose(file_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  absl::Status Open(const std::string& sheet) {
    std::string path = absl::StrCat(TemporaryDirectory(), "/lms-export-XXXXXX");
    const int fd = ::mkstemp(path.data());
    if (fd < 0) return absl::InternalError("cannot create a temporary file for the workbook");
    ::close(fd);
    path_ = path;
    tmpdir_ = TemporaryDirectory();
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir_.data();
    options.use_zip64 = LXW_TRUE;
    workbook_ = workbook_new_opt(path_.c_str(), &options);
    if (workbook_ == nullptr) return absl::InternalError("cannot start the workbook");
    table_ = workbook_add_worksheet(workbook_, sheet.c_str());
    notes_ = workbook_add_worksheet(workbook_, "报表说明");
    if (table_ == nullptr || notes_ == nullptr) {
      return absl::InternalError("cannot add the workbook's sheets");
    }
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    date_ = workbook_add_format(workbook_);
    format_set_num_format(date_, "yyyy-mm-dd");
    return absl::OkStatus();
  }

  absl::Status Header(const std::vector<Column>& columns) override {
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto column = static_cast<lxw_col_t>(i);
      worksheet_set_column(table_, column, column, columns[i].width, nullptr);
      RETURN_IF_ERROR(
          Checked(worksheet_write_string(table_, 0, column, columns[i].title.c_str(), bold_)));
    }
    worksheet_freeze_panes(table_, 1, 0);
    return absl::OkStatus();
  }

  absl::Status Row(const std::vector<Cell>& cells) override {
    ++row_;
    for (size_t i = 0; i < cells.size(); ++i) {
      const auto column = static_cast<lxw_col_t>(i);
      const Cell& cell = cells[i];
      lxw_error error = LXW_NO_ERROR;
      if (const auto* text = std::get_if<std::string>(&cell)) {
        // worksheet_write_string stores text as text: no cell ever becomes a formula.
        if (!text->empty())
          error = worksheet_write_string(table_, row_, column, text->c_str(), nullptr);
      } else if (const auto* number = std::get_if<int64_t>(&cell)) {
        error = worksheet_write_number(table_, row_, column, static_cast<double>(*number), nullptr);
      } else if (const auto* decimal = std::get_if<Decimal>(&cell)) {
        double value = static_cast<double>(decimal->scaled);
        for (int p = 0; p < decimal->places; ++p) value /= 10;
        error = worksheet_write_number(table_, row_, column, value, DecimalFormat(decimal->places));
      } else if (const auto* day = std::get_if<absl::CivilDay>(&cell)) {
        lxw_datetime date{static_cast<int>(day->year()), day->month(), day->day(), 0, 0, 0};
        error = worksheet_write_datetime(table_, row_, column, &date, date_);
      }
      RETURN_IF_ERROR(Checked(error));
    }
    return absl::OkStatus();
  }

  absl::Status Finish(const std::vector<Note>& notes) override {
    worksheet_set_column(notes_, 0, 0, 16, bold_);
    worksheet_set_column(notes_, 1, 1, 80, nullptr);
    for (size_t i = 0; i < notes.size(); ++i) {
      const auto row = static_cast<lxw_row_t>(i);
      RETURN_IF_ERROR(
          Checked(worksheet_write_string(notes_, row, 0, notes[i].first.c_str(), nullptr)));
      RETURN_IF_ERROR(
          Checked(worksheet_write_string(notes_, row, 1, notes[i].second.c_str(), nullptr)));
    }
    const lxw_error closed = workbook_close(workbook_);
    workbook_ = nullptr;
    RETURN_IF_ERROR(Checked(closed));
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) return absl::InternalError("cannot read the finished workbook");
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Take(size_t max) override {
    if (file_ == nullptr) return std::string();
    std::string chunk(max, '\0');
    const size_t read = std::fread(chunk.data(), 1, max, file_);
    if (read < max && std::ferror(file_) != 0) {
      return absl::InternalError("cannot read the finished workbook");
    }
    chunk.resize(read);
    return chunk;
  }

 private:
  lxw_format* DecimalFormat(int places) {
    if (places <= 0) return nullptr;
    lxw_format*& format = decimals_[places];
    if (format == nullptr) {
      format = workbook_add_format(workbook_);
      format_set_num_format(
          format, absl::StrCat("0.", std::string(static_cast<size_t>(places), '0')).c_str());
    }
    return format;
  }

  std::string path_;
  std::string tmpdir_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* table_ = nullptr;
  lxw_worksheet* notes_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* date_ = nullptr;
  std::map<int, lxw_format*> decimals_;
  lxw_row_t row_ = 0;
  std::FILE* file_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TableFile>> NewXlsxTableFile(const std::string& sheet) {
  auto file = std::make_unique<XlsxTableFile>();
  if (absl::Status opened = file->Open(sheet); !opened.ok()) return opened;
  return file;
}

}  // namespace lms::export_file
