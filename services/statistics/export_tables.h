#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/export/table_file.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/scoped_standings.h"
#include "services/statistics/statistics_scope.h"

namespace lms::statistics {

// lms.v1.ExportTable.
enum class ExportTable : int { kUnspecified = 0, kMembers = 1, kCourses = 2, kOrganizations = 3 };

// One table of an export, read a batch at a time inside the export's transaction: its
// sheet and file names, columns (Chinese headings), the rows to come, and the stamp, which
// a recount completes as it goes (the rule versions of each batch's members).
class ExportTableSource {
 public:
  virtual ~ExportTableSource() = default;
  // "党员学习明细" (the XLSX sheet).
  [[nodiscard]] virtual std::string sheet() const = 0;
  // "members" (the file name's start).
  [[nodiscard]] virtual std::string file_stem() const = 0;
  [[nodiscard]] virtual std::vector<export_file::Column> columns() const = 0;
  // The rows the table will hold (for a plan's members, at most this many).
  [[nodiscard]] virtual int64_t expected_rows() const = 0;
  // The next rows; empty when the table is over. Appends the rows' canonical text (the
  // figures hash's input) to `canonical`.
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::vector<export_file::Cell>>> Next(
      db::Transaction& tx, std::string* canonical) = 0;
  [[nodiscard]] virtual const ReportStamp& stamp() const = 0;
  // The canonical text's first line ("lms-member-statistics-v1").
  [[nodiscard]] virtual std::string canonical_tag() const = 0;
};

// Opens `table` for `scope` (members: of `category`, 0 for all) inside `tx`, the scope
// checked as every statistics RPC checks it, at `now`. Rows are those the RPCs show:
// members as ListMemberStatistics (MemberDetailWalk), courses as ListCourseStatistics,
// organisations as GetOrganizationStatistics counts each.
[[nodiscard]] absl::StatusOr<std::unique_ptr<ExportTableSource>> OpenExportTable(
    db::Transaction& tx, ExportTable table, const ScopeRequest& scope, int category,
    absl::Time now);

}  // namespace lms::statistics
