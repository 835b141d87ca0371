#pragma once

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tools/admin/roster_file.h"

namespace lms::admin {

struct ImportOptions {
  std::string path;
  bool valid_rows_only = false;
  bool dry_run = false;
  // Rows per streamed message: well under the server's 4 MiB message limit.
  size_t batch_rows = 2000;
  // Draw a progress bar on `progress` (a terminal).
  bool show_progress = false;
};

struct ImportReport {
  // Every bad row, from the file and from the server, by line.
  std::vector<v1::RowError> errors;
  v1::ImportRosterResponse response;
  size_t rows = 0;
  bool imported = false;
  absl::Duration elapsed;
};

// Reads a roster file and streams it to ImportRoster as `access_token`'s caller. When the
// file has unreadable rows and not `valid_rows_only`, the readable rows go as a dry run
// only, so that every bad line in the file is reported at once and nothing is written.
[[nodiscard]] absl::StatusOr<ImportReport> RunImport(v1::OrganizationService::Stub& stub,
                                                     const std::string& access_token,
                                                     const ImportOptions& options,
                                                     std::ostream& progress);

// A human summary of a report: counts, then each bad line.
[[nodiscard]] std::string Summarize(const ImportReport& report);

}  // namespace lms::admin
