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
    : ImportStreamReactor(context, response, runner, policy, slots, kMaxQuestionImportBytes,
                          kMaxQuestionImportDuration),
      importer_(importer) {
  Begin();
}

absl::Status QuestionImportReactor::Append(const grpc::ByteBuffer& batch) {
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

absl::Status QuestionImportReactor::Run(const call::CallContext& call, grpc::ByteBuffer* response) {
  const absl::StatusOr<QuestionImportOutcome> outcome = importer_.Import(call, std::move(import_));
  if (!outcome.ok()) return outcome.status();
  v1::ImportQuestionsResponse answer;
  for (const QuestionRowError& error : outcome->errors) {
    v1::RowError* out = answer.add_errors();
    out->set_line(error.line);
    out->set_field(error.field);
    out->set_reason(error.reason);
  }
  answer.set_created(outcome->created);
  answer.set_updated(outcome->updated);
  answer.set_unchanged(outcome->unchanged);
  return grpc_util::EncodeResponse(answer, response);
}

}  // namespace lms::assessment
