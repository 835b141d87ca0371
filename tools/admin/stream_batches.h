#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "lms/v1/organization.pb.h"
#include "tools/admin/progress_bar.h"

namespace lms::admin {

// Streams `rows` to a client-streaming import RPC in messages of `batch_rows` (at least
// one message, so the server hears the options even of an empty file), drawing a
// progress bar of `unit` when `show_progress`. `open(context, response)` starts the call
// (the stub's method); `start(message)` sets a message's options. Returns the answer.
template <typename Request, typename Response, typename Row, typename Open, typename Start>
absl::StatusOr<Response> StreamBatches(const std::string& access_token,
                                       const std::vector<Row>& rows, size_t batch_rows,
                                       bool show_progress, const std::string& unit,
                                       std::ostream& progress, Open&& open, Start&& start) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", access_token));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  Response response;
  std::unique_ptr<grpc::ClientWriter<Request>> writer = open(&context, &response);
  for (size_t begin = 0; begin == 0 || begin < rows.size(); begin += batch_rows) {
    Request batch;
    start(batch);
    const size_t end = std::min(rows.size(), begin + batch_rows);
    for (size_t i = begin; i < end; ++i) *batch.add_rows() = rows[i];
    if (!writer->Write(batch)) break;  // The server answered early; Finish says why.
    if (show_progress) DrawProgress(progress, end, rows.size(), unit);
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (show_progress) progress << "\n";
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response;
}

// The file's unreadable rows and the server's refusals, in line order.
inline std::vector<v1::RowError> MergeRowErrors(
    std::vector<v1::RowError> file_errors,
    const google::protobuf::RepeatedPtrField<v1::RowError>& server_errors) {
  file_errors.insert(file_errors.end(), server_errors.begin(), server_errors.end());
  std::stable_sort(
      file_errors.begin(), file_errors.end(),
      [](const v1::RowError& a, const v1::RowError& b) { return a.line() < b.line(); });
  return file_errors;
}

}  // namespace lms::admin
