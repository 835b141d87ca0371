#include "common/grpc/download_stream_reactor.h"

#include "absl/strings/str_cat.h"

namespace lms::grpc_util {

void DownloadStreamReactor::Begin(const grpc::ByteBuffer& raw) {
  absl::StatusOr<call::CallContext> call = runner_.BeginStream(*context_, policy_, max_duration_);
  if (!call.ok()) {
    FinishCall(this, policy_, call.status());
    return;
  }
  if (const absl::Status decoded = Decode(raw); !decoded.ok()) {
    FinishCall(this, policy_, decoded);
    return;
  }
  if (!slots_.TryEnter()) {
    FinishCall(this, policy_,
               absl::ResourceExhaustedError(absl::StrCat(
                   "at most ", slots_.max(), " exports run at once: retry when one has finished")));
    return;
  }
  entered_ = true;
  call_ = *std::move(call);
  Post(/*open=*/true);
}

void DownloadStreamReactor::Post(bool open) {
  if (!runner_.TryPost([this, open] { Step(open); })) {
    // No worker to close on either: close here, rarely, rather than leave the call open.
    CloseAndFinish(
        absl::ResourceExhaustedError("server busy: too many calls waiting; retry later"));
  }
}

void DownloadStreamReactor::Step(bool open) {
  if (context_->IsCancelled()) {
    CloseAndFinish(absl::CancelledError("the client cancelled the download"));
    return;
  }
  if (absl::Now() >= call_.deadline) {
    CloseAndFinish(absl::DeadlineExceededError("the download passed its deadline"));
    return;
  }
  bool more = false;
  const absl::Status status = RunGuarded(policy_, [&]() -> absl::Status {
    if (open) {
      if (absl::Status in_scope = runner_.CheckStreamScope(policy_, request(), call_);
          !in_scope.ok()) {
        return in_scope;
      }
      if (absl::Status opened = Open(call_); !opened.ok()) return opened;
    }
    message_.Clear();
    absl::StatusOr<bool> next = Next(&message_);
    if (!next.ok()) return next.status();
    more = *next;
    return absl::OkStatus();
  });
  if (!status.ok() || !more) {
    CloseAndFinish(status);
    return;
  }
  StartWrite(&message_);
}

void DownloadStreamReactor::OnWriteDone(bool ok) {
  if (!ok) {
    // The client went away (or the stream broke): nothing more can be written.
    Answer(absl::CancelledError("the client cancelled the download"));
    return;
  }
  Post(/*open=*/false);
}

void DownloadStreamReactor::Answer(const absl::Status& status) {
  if (!runner_.TryPost([this, status] { CloseAndFinish(status); })) CloseAndFinish(status);
}

void DownloadStreamReactor::CloseAndFinish(const absl::Status& status) {
  Close(status);
  // The slot is free before the answer: a client starting its next export at once finds it.
  LeaveSlot();
  FinishCall(this, policy_, status);
}

}  // namespace lms::grpc_util
