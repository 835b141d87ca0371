#include "tools/admin/import_command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/admin/stream_batches.h"

namespace lms::admin {
namespace {

size_t BadLines(const std::vector<v1::RowError>& errors) {
  size_t lines = 0;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i == 0 || errors[i].line() != errors[i - 1].line()) ++lines;
  }
  return lines;
}

}  // namespace

absl::StatusOr<ImportReport> RunImport(v1::OrganizationService::Stub& stub,
                                       const std::string& access_token,
                                       const ImportOptions& options, std::ostream& progress) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<SheetRow>> sheet = ReadSpreadsheet(options.path);
  if (!sheet.ok()) return sheet.status();
  absl::StatusOr<RosterFile> file = ParseRoster(*sheet);
  if (!file.ok()) return file.status();
  ImportReport report;
  report.rows = file->rows.size() + file->errors.size();
  // Unreadable rows block the import unless valid_rows_only; the rest are still checked
  // (dry run) so the user sees every bad line at once.
  const bool dry_run = options.dry_run || (!file->errors.empty() && !options.valid_rows_only);
  absl::StatusOr<v1::ImportRosterResponse> response =
      StreamBatches<v1::ImportRosterRequest, v1::ImportRosterResponse>(
          access_token, file->rows, options.batch_rows, options.show_progress, "rows", progress,
          [&](grpc::ClientContext* context, v1::ImportRosterResponse* answer) {
            return stub.ImportRoster(context, answer);
          },
          [&](v1::ImportRosterRequest& batch) {
            batch.set_valid_rows_only(options.valid_rows_only);
            batch.set_dry_run(dry_run);
          });
  if (!response.ok()) return response.status();
  report.response = *std::move(response);
  report.errors = MergeRowErrors(file->errors, report.response.errors());
  report.imported = !dry_run && (report.errors.empty() || options.valid_rows_only);
  if (!report.imported && !options.dry_run) {
    // Blocked by bad rows: the dry run's would-be counts would mislead.
    report.response.set_organizations_created(0);
    report.response.set_organizations_updated(0);
    report.response.set_members_created(0);
    report.response.set_members_updated(0);
  }
  report.elapsed = absl::Now() - start;
  return report;
}

std::string Summarize(const ImportReport& report) {
  const v1::ImportRosterResponse& r = report.response;
  std::string out = absl::StrFormat(
      "%s %d rows in %.1f s: organisations %d created, %d updated; members %d created, %d "
      "updated; %d unchanged; %d bad rows\n",
      report.imported ? "imported" : "checked (nothing written)", report.rows,
      absl::ToDoubleSeconds(report.elapsed), r.organizations_created(), r.organizations_updated(),
      r.members_created(), r.members_updated(), r.unchanged(), BadLines(report.errors));
  for (const v1::RowError& error : report.errors) {
    absl::StrAppend(&out, "  line ", error.line(), ": ", error.field(), ": ", error.reason(), "\n");
  }
  return out;
}

}  // namespace lms::admin
