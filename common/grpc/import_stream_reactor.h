#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/call_log.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/unary_call_runner.h"

namespace lms::grpc_util {

// The frame of a client-streaming bulk import (roster, question bank): authorizes the
// stream when it opens and takes one of `slots` (RESOURCE_EXHAUSTED when none is free),
// hands each message to Append as it arrives, bounded by `max_bytes` in all, and when the
// client half-closes runs Run on a worker, which answers the call. A subclass calls
// Begin() at the end of its constructor (reads start only once it is whole) and is
// deleted when the call is done.
class ImportStreamReactor : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  void OnReadDone(bool ok) final;
  void OnDone() final {
    LeaveSlot();
    delete this;
  }

 protected:
  ImportStreamReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                      const UnaryCallRunner& runner, const auth::MethodPolicy& policy,
                      ImportSlots& slots, size_t max_bytes, absl::Duration max_duration)
      : context_(context),
        response_(response),
        runner_(runner),
        policy_(policy),
        slots_(slots),
        max_bytes_(max_bytes),
        max_duration_(max_duration) {}
  ~ImportStreamReactor() override = default;

  // Opens the call (authorization, slot) and starts reading.
  void Begin();
  // Decodes and keeps one message of the stream; an error ends the call with it.
  virtual absl::Status Append(const grpc::ByteBuffer& message) = 0;
  // Runs the import with every message in, on a worker; encodes the answer into `response`.
  virtual absl::Status Run(const call::CallContext& call, grpc::ByteBuffer* response) = 0;

 private:
  void RunImport();
  // Frees the slot before the answer, so a client that starts the next import as soon as
  // it has it finds the slot free.
  void Answer(const absl::Status& status) {
    LeaveSlot();
    FinishCall(this, policy_, status);
  }
  void LeaveSlot() {
    if (entered_) slots_.Leave();
    entered_ = false;
  }

  grpc::CallbackServerContext* const context_;
  grpc::ByteBuffer* const response_;
  const UnaryCallRunner& runner_;
  const auth::MethodPolicy& policy_;
  ImportSlots& slots_;
  const size_t max_bytes_;
  const absl::Duration max_duration_;
  bool entered_ = false;
  call::CallContext call_;
  grpc::ByteBuffer message_;
  size_t bytes_ = 0;
};

}  // namespace lms::grpc_util
