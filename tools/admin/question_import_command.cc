#include "tools/admin/question_import_command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/admin/question_file.h"
#include "tools/admin/stream_batches.h"

namespace lms::admin {

absl::StatusOr<QuestionImportReport> RunQuestionImport(v1::AssessmentService::Stub& stub,
                                                       const std::string& access_token,
                                                       const QuestionImportOptions& options,
                                                       std::ostream& progress) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<SheetRow>> sheet = ReadSpreadsheet(options.path);
  if (!sheet.ok()) return sheet.status();
  absl::StatusOr<QuestionFile> file = ParseQuestions(*sheet);
  if (!file.ok()) return file.status();
  QuestionImportReport report;
  report.rows = file->rows.size() + file->errors.size();
  const bool dry_run = options.dry_run || (!file->errors.empty() && !options.valid_rows_only);
  absl::StatusOr<v1::ImportQuestionsResponse> response =
      StreamBatches<v1::ImportQuestionsRequest, v1::ImportQuestionsResponse>(
          access_token, file->rows, options.batch_rows, options.show_progress, "questions",
          progress,
          [&](grpc::ClientContext* context, v1::ImportQuestionsResponse* answer) {
            return stub.ImportQuestions(context, answer);
          },
          [&](v1::ImportQuestionsRequest& batch) {
            batch.set_organization_id(options.organization_id);
            batch.set_valid_rows_only(options.valid_rows_only);
            batch.set_dry_run(dry_run);
          });
  if (!response.ok()) return response.status();
  report.response = *std::move(response);
  report.errors = MergeRowErrors(file->errors, report.response.errors());
  report.imported = !dry_run && (report.errors.empty() || options.valid_rows_only);
  if (!report.imported && !options.dry_run) {
    // Blocked by bad rows: the would-be counts would mislead.
    report.response.set_created(0);
    report.response.set_updated(0);
  }
  report.elapsed = absl::Now() - start;
  return report;
}

std::string Summarize(const QuestionImportReport& report) {
  const v1::ImportQuestionsResponse& r = report.response;
  std::string out = absl::StrFormat(
      "%s %d questions in %.1f s: %d created, %d updated, %d unchanged; %d bad rows\n",
      report.imported ? "imported" : "checked (nothing written)", report.rows,
      absl::ToDoubleSeconds(report.elapsed), r.created(), r.updated(), r.unchanged(),
      report.errors.size());
  for (const v1::RowError& error : report.errors) {
    absl::StrAppend(&out, "  line ", error.line(), ": ", error.field(), ": ", error.reason(), "\n");
  }
  return out;
}

}  // namespace lms::admin
