#pragma once

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/authorizer.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/worker_pool.h"

namespace lms::grpc_util {

// What a service needs to know about the call it serves.
struct CallContext {
  auth::Caller caller;
  // The client's deadline, capped; the database never works past it.
  absl::Time deadline = absl::InfiniteFuture();
};

// Runs unary RPCs for callback handlers: authorizes the call against its RPC's policy
// (the one place this happens), then runs the work inline when it never blocks (reads
// from memory) or on the bounded worker pool when it touches the database, and finishes
// the reactor with the mapped status. Thread-safe.
class UnaryCallRunner {
 public:
  UnaryCallRunner(const auth::Authorizer& authorizer, WorkerPool& workers,
                  absl::Duration max_deadline)
      : authorizer_(authorizer), workers_(workers), max_deadline_(max_deadline) {}

  // `work(const CallContext&) -> absl::Status` runs on the gRPC thread: it must not block.
  template <typename Work>
  grpc::ServerUnaryReactor* RunInline(grpc::CallbackServerContext* context,
                                      const auth::MethodPolicy& policy, Work&& work) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::StatusOr<CallContext> call = Begin(*context, policy);
    reactor->Finish(ToGrpcStatus(call.ok() ? work(*call) : call.status()));
    return reactor;
  }

  // `work(const CallContext&) -> absl::Status` runs on a worker thread and may block.
  template <typename Work>
  grpc::ServerUnaryReactor* RunBlocking(grpc::CallbackServerContext* context,
                                        const auth::MethodPolicy& policy, Work&& work) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::StatusOr<CallContext> call = Begin(*context, policy);
    if (!call.ok()) {
      reactor->Finish(ToGrpcStatus(call.status()));
      return reactor;
    }
    const bool posted = workers_.TryPost(
        [reactor, call = *std::move(call), work = std::forward<Work>(work)]() mutable {
          if (absl::Now() >= call.deadline) {
            reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                         "deadline exceeded while queued"));
            return;
          }
          reactor->Finish(ToGrpcStatus(work(call)));
        });
    if (!posted) {
      reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                   "server busy: too many calls waiting; retry with backoff"));
    }
    return reactor;
  }

 private:
  absl::StatusOr<CallContext> Begin(const grpc::CallbackServerContext& context,
                                    const auth::MethodPolicy& policy) const;

  const auth::Authorizer& authorizer_;
  WorkerPool& workers_;
  const absl::Duration max_deadline_;
};

}  // namespace lms::grpc_util
