#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/export/sha256_stream.h"
#include "common/export/table_file.h"
#include "common/time/clock.h"
#include "services/statistics/export_audit.h"
#include "services/statistics/export_tables.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/statistics_scope.h"

namespace lms::statistics {

// lms.v1.ExportFormat.
enum class ExportFormat : int { kUnspecified = 0, kCsv = 1, kXlsx = 2 };

struct ExportInput {
  ScopeRequest scope;
  ExportTable table = ExportTable::kUnspecified;
  ExportFormat format = ExportFormat::kUnspecified;
  // A MemberCategory value (members only); 0: all.
  int category = 0;
};

struct ExportHeaderInfo {
  ReportStamp stamp;
  std::string file_name;
  std::string content_type;
  int64_t expected_rows = 0;
};

// The next bytes of the file (possibly none: an XLSX is sent once it is whole) and the
// rows written so far.
struct ExportPiece {
  std::string data;
  int64_t rows_written = 0;
};

struct ExportResult {
  int64_t rows = 0;
  int64_t bytes = 0;
  std::string file_sha256;
  // Complete: the rule versions of every row and the hash of every row's figures.
  ReportStamp stamp;
};

// One export, as a call streams it: Open checks the request, takes one snapshot of the
// store for the whole file (a transaction held to the end), opens the table and records
// the export in the audit trail (committed apart, before the first byte leaves); Next
// gives the file a batch of rows at a time; Close records how it ended. Memory holds one
// batch, never the whole table. Not thread-safe: one call, one step at a time.
class StatisticsExport {
 public:
  StatisticsExport(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // INVALID_ARGUMENT naming the field, NOT_FOUND, FAILED_PRECONDITION as the statistics
  // RPCs answer a scope.
  [[nodiscard]] absl::StatusOr<ExportHeaderInfo> Open(const call::CallContext& call,
                                                      const ExportInput& input);
  // The next piece; nullopt once the file is whole (then result()).
  [[nodiscard]] absl::StatusOr<std::optional<ExportPiece>> Next();
  [[nodiscard]] const ExportResult& result() const { return result_; }
  // Ends the export: the snapshot released, the audit row completed with `outcome` (OK,
  // CANCELLED, or the error). Failing to record is logged, never thrown.
  void Close(const absl::Status& outcome);

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  std::optional<db::Transaction> snapshot_;
  std::unique_ptr<ExportTableSource> table_;
  std::unique_ptr<export_file::TableFile> file_;
  ExportInput input_;
  std::string organization_label_;
  int64_t audit_id_ = 0;
  bool rows_done_ = false;
  export_file::Sha256Stream file_hash_;
  export_file::Sha256Stream figures_hash_;
  ExportResult result_;
  const ExportAuditRepository audit_{};
};

}  // namespace lms::statistics
