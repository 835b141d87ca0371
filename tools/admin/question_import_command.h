#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lms/v1/assessment.grpc.pb.h"

namespace lms::admin {

struct QuestionImportOptions {
  std::string path;
  // The bank: an organisation in the admin's reach.
  int64_t organization_id = 0;
  bool valid_rows_only = false;
  bool dry_run = false;
  // Rows per streamed message: well under the server's 4 MiB message limit.
  size_t batch_rows = 500;
  bool show_progress = false;
};

struct QuestionImportReport {
  // Every bad row, from the file and from the server, by line.
  std::vector<v1::RowError> errors;
  v1::ImportQuestionsResponse response;
  size_t rows = 0;
  bool imported = false;
  absl::Duration elapsed;
};

// Reads a question file and streams it to ImportQuestions as `access_token`'s caller,
// drawing a progress bar on `progress`. When the file has unreadable rows and not
// `valid_rows_only`, the readable rows go as a dry run only: every bad line is reported
// at once and nothing is written.
[[nodiscard]] absl::StatusOr<QuestionImportReport> RunQuestionImport(
    v1::AssessmentService::Stub& stub, const std::string& access_token,
    const QuestionImportOptions& options, std::ostream& progress);

// A human summary: counts, then each bad line.
[[nodiscard]] std::string Summarize(const QuestionImportReport& report);

}  // namespace lms::admin
