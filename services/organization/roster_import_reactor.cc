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
    : response_(response),
      importer_(importer),
      runner_(runner),
      policy_(policy),
      slots_(slots),
      intake_(importer.Today()) {
  absl::StatusOr<call::CallContext> call =
      runner_.BeginStream(*context, policy_, kMaxImportDuration);
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

void RosterImportReactor::OnReadDone(bool ok) {
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

absl::Status RosterImportReactor::Append(const grpc::ByteBuffer& batch) {
  bytes_ += batch.Length();
  if (bytes_ > kMaxImportBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("an import carries at most ", kMaxImportBytes >> 20, " MiB: split the file"));
  }
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

void RosterImportReactor::RunImport() {
  if (absl::Now() >= call_.deadline) {
    Answer(absl::DeadlineExceededError("deadline exceeded while queued"));
    return;
  }
  Answer(grpc_util::RunGuarded(policy_, [&]() -> absl::Status {
    const absl::StatusOr<ImportOutcome> outcome = importer_.Import(call_, intake_.import());
    if (!outcome.ok()) return outcome.status();
    v1::ImportRosterResponse response;
    ToProto(*outcome, &response);
    return grpc_util::EncodeResponse(response, response_);
  }));
}

}  // namespace lms::organization
