#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/call_log.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/unary_call_runner.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace lms::grpc_util {

// The frame of a server-streaming download (a statistics export): authorizes the caller's
// role when the call opens and takes one of `slots` (RESOURCE_EXHAUSTED when none is
// free); then, on a worker, checks the subtree of every object the request names (the one
// authorization place, as for unary calls) and opens the download (Open). Each message is
// made on a worker (Next) and the next one only once the last has been written: a slow
// client holds the producer back (flow control), so nothing piles up in memory and no
// worker ever waits on the network. The call ends OK when Next has no more, with the error
// of Open or Next, DEADLINE_EXCEEDED past its deadline (capped at `max_duration`), or
// CANCELLED when the client goes away; Close hears how it ended, on a worker when one is
// free. A subclass calls Begin() at the end of its constructor; it is deleted when the call
// is done.
class DownloadStreamReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  void OnWriteDone(bool ok) final;
  void OnDone() final {
    LeaveSlot();
    delete this;
  }

 protected:
  DownloadStreamReactor(grpc::CallbackServerContext* context, const UnaryCallRunner& runner,
                        const auth::MethodPolicy& policy, ImportSlots& slots,
                        absl::Duration max_duration)
      : context_(context),
        runner_(runner),
        policy_(policy),
        slots_(slots),
        max_duration_(max_duration) {}
  ~DownloadStreamReactor() override = default;

  // Opens the call: the role, the request (`raw`, decoded by Decode), a slot; then the
  // rest on a worker.
  void Begin(const grpc::ByteBuffer& raw);
  // Decodes the request into the subclass's message (INVALID_ARGUMENT when malformed).
  virtual absl::Status Decode(const grpc::ByteBuffer& raw) = 0;
  // The decoded request, for the subtree check.
  virtual const google::protobuf::Message& request() const = 0;
  // On a worker, the request within the caller's reach: prepares the download.
  virtual absl::Status Open(const call::CallContext& call) = 0;
  // On a worker: the next message into `out`; false when there are no more.
  virtual absl::StatusOr<bool> Next(grpc::ByteBuffer* out) = 0;
  // How the call ended (OK, the error, CANCELLED), once, just before it is answered;
  // not called when the call was refused before Open (role, request, slot).
  virtual void Close(const absl::Status& outcome) = 0;

 private:
  // Queues the next step (open, or the next message) for a worker.
  void Post(bool open);
  void Step(bool open);
  // Closes and answers the call, on a worker when one takes it (Close may write).
  void Answer(const absl::Status& status);
  void CloseAndFinish(const absl::Status& status);
  void LeaveSlot() {
    if (entered_) slots_.Leave();
    entered_ = false;
  }

  grpc::CallbackServerContext* const context_;
  const UnaryCallRunner& runner_;
  const auth::MethodPolicy& policy_;
  ImportSlots& slots_;
  const absl::Duration max_duration_;
  bool entered_ = false;
  call::CallContext call_;
  grpc::ByteBuffer message_;
};

}  // namespace lms::grpc_util
