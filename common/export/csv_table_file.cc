#include <algorithm>

#include "common/export/table_file.h"

namespace lms::export_file {
namespace {

class CsvTableFile final : public TableFile {
 public:
  absl::Status Header(const std::vector<Column>& columns) override {
    writer_.ByteOrderMark();
    std::vector<Cell> titles;
    titles.reserve(columns.size());
    for (const Column& column : columns) titles.emplace_back(column.title);
    writer_.Row(titles);
    return absl::OkStatus();
  }
  absl::Status Row(const std::vector<Cell>& cells) override {
    writer_.Row(cells);
    return absl::OkStatus();
  }
  absl::Status Finish(const std::vector<Note>& /*notes*/) override { return absl::OkStatus(); }
  absl::StatusOr<std::string> Take(size_t max) override {
    if (buffer_.size() <= max) return std::exchange(buffer_, std::string());
    std::string taken = buffer_.substr(0, max);
    buffer_.erase(0, max);
    return taken;
  }

 private:
  std::string buffer_;
  CsvWriter writer_{&buffer_};
};

}  // namespace

std::unique_ptr<TableFile> NewCsvTableFile() { return std::make_unique<CsvTableFile>(); }

}  // namespace lms::export_file
