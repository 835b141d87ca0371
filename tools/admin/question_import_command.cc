#include "tools/admin/question_import_command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/admin/progress_bar.h"
#include "tools/admin/question_file.h"

namespace lms::admin {
namespace {

absl::StatusOr<v1::ImportQuestionsResponse> Stream(v1::AssessmentService::Stub& stub,
                                                   const std::string& access_token,
                                                   const std::vector<v1::QuestionRow>& rows,
                                                   const QuestionImportOptions& options,
                                                   bool dry_run, std::ostream& progress) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", access_token));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  v1::ImportQuestionsResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::ImportQuestionsRequest>> writer =
      stub.ImportQuestions(&context, &response);
  // At least one message, so the server learns the bank even for an empty file.
  for (size_t begin = 0; begin == 0 || begin < rows.size(); begin += options.batch_rows) {
    v1::ImportQuestionsRequest batch;
    batch.set_organization_id(options.organization_id);
    batch.set_valid_rows_only(options.valid_rows_only);
    batch.set_dry_run(dry_run);
    const size_t end = std::min(rows.size(), begin + options.batch_rows);
    for (size_t i = begin; i < end; ++i) *batch.add_rows() = rows[i];
    if (!writer->Write(batch)) break;  // The server answered early; Finish says why.
    if (options.show_progress) DrawProgress(progress, end, rows.size(), "questions");
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (options.show_progress) progress << "\n";
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response;
}

}  // namespace

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
      Stream(stub, access_token, file->rows, options, dry_run, progress);
  if (!response.ok()) return response.status();
  report.response = *std::move(response);
  report.errors = file->errors;
  report.errors.insert(report.errors.end(), report.response.errors().begin(),
                       report.response.errors().end());
  std::stable_sort(
      report.errors.begin(), report.errors.end(),
      [](const v1::RowError& a, const v1::RowError& b) { return a.line() < b.line(); });
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
