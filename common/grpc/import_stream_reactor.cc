#include "common/grpc/import_stream_reactor.h"

#include "absl/strings/str_cat.h"

namespace lms::grpc_util {

void ImportStreamReactor::Begin() {
  absl::StatusOr<call::CallContext> call = runner_.BeginStream(*context_, policy_, max_duration_);
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
  StartRead(&message_);
}

void ImportStreamReactor::OnReadDone(bool ok) {
  if (!ok) {
    // The client half-closed: every message is here.
    if (!runner_.TryPost([this] { RunImport(); })) {
      Answer(absl::ResourceExhaustedError("server busy: too many calls waiting; retry later"));
    }
    return;
  }
  bytes_ += message_.Length();
  if (bytes_ > max_bytes_) {
    Answer(absl::ResourceExhaustedError(
        absl::StrCat("an import carries at most ", max_bytes_ >> 20, " MiB: split the file")));
    return;
  }
  if (const absl::Status appended = Append(message_); !appended.ok()) {
    Answer(appended);
    return;
  }
  message_.Clear();
  StartRead(&message_);
}

void ImportStreamReactor::RunImport() {
  if (absl::Now() >= call_.deadline) {
    Answer(absl::DeadlineExceededError("deadline exceeded while queued"));
    return;
  }
  Answer(RunGuarded(policy_, [&]() -> absl::Status { return Run(call_, response_); }));
}

}  // namespace lms::grpc_util
