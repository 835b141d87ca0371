#include "services/organization/roster_import_reactor.h"

#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "lms/v1/organization.pb.h"
#include "services/organization/organization_mapping.h"

namespace lms::organization {

RosterImportReactor::RosterImportReactor(grpc::CallbackServerContext* context,
                                         grpc::ByteBuffer* response, const RosterImporter& importer,
                                         const grpc_util::UnaryCallRunner& runner,
                                         const auth::MethodPolicy& policy, ImportSlots& slots)
    : ImportStreamReactor(context, response, runner, policy, slots, kMaxImportBytes,
                          kMaxImportDuration),
      importer_(importer),
      intake_(importer.Today()) {
  Begin();
}

absl::Status RosterImportReactor::Append(const grpc::ByteBuffer& batch) {
  absl::StatusOr<v1::ImportRosterRequest> request =
      grpc_util::DecodeRequest<v1::ImportRosterRequest>(batch);
  if (!request.ok()) return request.status();
  if (first_batch_) {
    intake_.import().valid_rows_only = request->valid_rows_only();
    intake_.import().dry_run = request->dry_run();
    first_batch_ = false;
  } else if (request->valid_rows_only() != intake_.import().valid_rows_only ||
             request->dry_run() != intake_.import().dry_run) {
    return status::InvalidField("valid_rows_only",
                                "options must be the same in every message of the stream");
  }
  if (intake_.rows_seen() + static_cast<size_t>(request->rows_size()) > kMaxImportRows) {
    return status::InvalidField("rows", absl::StrCat("at most ", kMaxImportRows, " per import"));
  }
  AppendRows(*request, intake_);
  return absl::OkStatus();
}

absl::Status RosterImportReactor::Run(const call::CallContext& call, grpc::ByteBuffer* response) {
  const absl::StatusOr<ImportOutcome> outcome = importer_.Import(call, intake_.import());
  if (!outcome.ok()) return outcome.status();
  v1::ImportRosterResponse answer;
  ToProto(*outcome, &answer);
  return grpc_util::EncodeResponse(answer, response);
}

}  // namespace lms::organization
