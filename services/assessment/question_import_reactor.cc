#include "services/assessment/question_import_reactor.h"

#include "absl/strings/str_cat.h"
#include "common/grpc/request_codec.h"
#include "common/status/field_errors.h"
#include "lms/v1/assessment.pb.h"
#include "services/assessment/assessment_mapping.h"

namespace lms::assessment {

QuestionImportReactor::QuestionImportReactor(grpc::CallbackServerContext* context,
                                             grpc::ByteBuffer* response,
                                             const QuestionImporter& importer,
                                             const grpc_util::UnaryCallRunner& runner,
                                             const auth::MethodPolicy& policy,
                                             grpc_util::ImportSlots& slots)
    : response_(response), importer_(importer), runner_(runner), policy_(policy), slots_(slots) {
  absl::StatusOr<call::CallContext> call =
      runner_.BeginStream(*context, policy_, kMaxQuestionImportDuration);
  if (!call.ok()) {
    Answer(call.status());
    return;
  }
  if (!slots_.TryEnter()) {
    Answer(absl::ResourceExhaustedError(absl::StrCat(
        "at most ", slots_.max(), " imports run at once: retry when one has finished")));
    return;
  }
  entered_ = true;
  call_ = *std::move(call);
  StartRead(&batch_);
}

void QuestionImportReactor::OnReadDone(bool ok) {
  if (!ok) {
    // The client half-closed: every row is here.
    if (!runner_.TryPost([this] { RunImport(); })) {
      Answer(absl::ResourceExhaustedError("server busy: too many calls waiting; retry later"));
    }
    return;
  }
  if (const absl::Status appended = Append(batch_); !appended.ok()) {
    Answer(appended);
    return;
  }
  batch_.Clear();
  StartRead(&batch_);
}

absl::Status QuestionImportReactor::Append(const grpc::ByteBuffer& batch) {
  bytes_ += batch.Length();
  if (bytes_ > kMaxQuestionImportBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "an import carries at most ", kMaxQuestionImportBytes >> 20, " MiB: split the file"));
  }
  absl::StatusOr<v1::ImportQuestionsRequest> request =
      grpc_util::DecodeRequest<v1::ImportQuestionsRequest>(batch);
  if (!request.ok()) return request.status();
  if (first_batch_) {
    import_.organization_id = request->organization_id();
    import_.valid_rows_only = request->valid_rows_only();
    import_.dry_run = request->dry_run();
    first_batch_ = false;
  } else if (request->organization_id() != import_.organization_id ||
             request->valid_rows_only() != import_.valid_rows_only ||
             request->dry_run() != import_.dry_run) {
    return status::InvalidField("organization_id",
                                "the organisation and options must be the same in every message");
  }
  if (import_.rows.size() + static_cast<size_t>(request->rows_size()) > kMaxImportQuestions) {
    return absl::ResourceExhaustedError(
        absl::StrCat("an import carries at most ", kMaxImportQuestions, " questions"));
  }
  for (const v1::QuestionRow& row : request->rows()) {
    import_.rows.push_back({row.line(), static_cast<QuestionType>(row.question().type()),
                            ContentFromProto(row.question())});
  }
  return absl::OkStatus();
}

void QuestionImportReactor::RunImport() {
  if (absl::Now() >= call_.deadline) {
    Answer(absl::DeadlineExceededError("deadline exceeded while queued"));
    return;
  }
  Answer(grpc_util::RunGuarded(policy_, [&]() -> absl::Status {
    const absl::StatusOr<QuestionImportOutcome> outcome =
        importer_.Import(call_, std::move(import_));
    if (!outcome.ok()) return outcome.status();
    v1::ImportQuestionsResponse response;
    for (const QuestionRowError& error : outcome->errors) {
      v1::RowError* out = response.add_errors();
      out->set_line(error.line);
      out->set_field(error.field);
      out->set_reason(error.reason);
    }
    response.set_created(outcome->created);
    response.set_updated(outcome->updated);
    response.set_unchanged(outcome->unchanged);
    return grpc_util::EncodeResponse(response, response_);
  }));
}

}  // namespace lms::assessment
