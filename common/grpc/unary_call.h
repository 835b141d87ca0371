#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/authorizer.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"
#include "common/auth/scope_checker.h"
#include "common/db/transaction.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/worker_pool.h"

namespace lms::grpc_util {

// What a service needs to know about the call it serves.
struct CallContext {
  auth::Caller caller;
  // The client's deadline, capped; the database never works past it.
  absl::Time deadline = absl::InfiniteFuture();
  // The objects the request names (its policy's scoped fields), already checked against
  // the caller's subtree; writes re-check them under lock with HoldScope.
  std::vector<auth::ScopedId> scoped_ids;
  const auth::ScopeChecker* scope_checker = nullptr;
};

// Inside a write's transaction: holds the call's subtree decision until commit (shared
// locks on what it rests on), so a concurrent move or transfer cannot slip between the
// check and the write. Every service calls it first in each scoped write transaction.
[[nodiscard]] inline absl::Status HoldScope(db::Transaction& tx, const CallContext& call) {
  if (call.scope_checker == nullptr || call.scoped_ids.empty()) return absl::OkStatus();
  return call.scope_checker->Hold(tx, call.caller, call.scoped_ids);
}

// Logs a finished call: every call at debug level (method and code; never the request,
// which may carry passwords), failures that mean a bug (INTERNAL, UNKNOWN) at error level
// with their message.
void LogCall(const auth::MethodPolicy& policy, const absl::Status& status);

// Finishes a call (unary or streaming reactor) with the mapped status, and logs it.
template <typename Reactor>
void FinishCall(Reactor* reactor, const auth::MethodPolicy& policy, const absl::Status& status) {
  LogCall(policy, status);
  reactor->Finish(ToGrpcStatus(status));
}

// Decodes a raw request. gRPC's own decoder answers a request it cannot parse (a text
// field that is not UTF-8, say) with UNIMPLEMENTED, which tells the client nothing true;
// decoding here makes it INVALID_ARGUMENT naming the message type.
template <typename Request>
absl::StatusOr<Request> DecodeRequest(const grpc::ByteBuffer& raw) {
  grpc::ByteBuffer copy(raw);  // Deserialize consumes its buffer; slices are ref-counted.
  Request request;
  if (!grpc::SerializationTraits<Request>::Deserialize(&copy, &request).ok()) {
    return absl::InvalidArgumentError(absl::StrCat("request is not a valid ",
                                                   Request::descriptor()->full_name(),
                                                   ": malformed, or a text field is not UTF-8"));
  }
  return request;
}

template <typename Response>
absl::Status EncodeResponse(const Response& response, grpc::ByteBuffer* raw) {
  bool own_buffer = false;
  const grpc::Status status =
      grpc::SerializationTraits<Response>::Serialize(response, raw, &own_buffer);
  if (!status.ok()) return absl::InternalError("cannot encode the response");
  return absl::OkStatus();
}

// Runs unary RPCs for callback handlers: decodes the request, authorizes the call against
// its RPC's policy (the one place this happens: roles by the Authorizer before queueing,
// the organisation subtree of every object the request names by the ScopeChecker on the
// worker), then runs the work inline when it never
// blocks (reads from memory) or on the bounded worker pool when it touches the database,
// encodes the response and finishes the reactor with the mapped status.
// `work(const CallContext&, const Request&, Response*) -> absl::Status`. Thread-safe.
class UnaryCallRunner {
 public:
  UnaryCallRunner(const auth::Authorizer& authorizer, const auth::ScopeChecker& scope_checker,
                  WorkerPool& workers, absl::Duration max_deadline)
      : authorizer_(authorizer),
        scope_checker_(scope_checker),
        workers_(workers),
        max_deadline_(max_deadline) {}

  // For work that never blocks (reads from memory): runs on the gRPC thread.
  template <typename Request, typename Response, typename Work>
  grpc::ServerUnaryReactor* RunInline(grpc::CallbackServerContext* context,
                                      const auth::MethodPolicy& policy,
                                      const grpc::ByteBuffer* raw_request,
                                      grpc::ByteBuffer* raw_response, Work&& work) const {
    return RunInline(context, policy, [&](const CallContext& call) -> absl::Status {
      // The subtree check reads the database: such RPCs must run blocking.
      if (policy.HasScope()) {
        return absl::InternalError(absl::StrCat(policy.full_name, " must run on a worker"));
      }
      absl::StatusOr<Request> request = DecodeRequest<Request>(*raw_request);
      if (!request.ok()) return request.status();
      Response response;
      if (absl::Status s = work(call, *request, &response); !s.ok()) return s;
      return EncodeResponse(response, raw_response);
    });
  }

  // For work that touches the database: runs on the bounded worker pool.
  template <typename Request, typename Response, typename Work>
  grpc::ServerUnaryReactor* RunBlocking(grpc::CallbackServerContext* context,
                                        const auth::MethodPolicy& policy,
                                        const grpc::ByteBuffer* raw_request,
                                        grpc::ByteBuffer* raw_response, Work&& work) const {
    // Authorize, then decode, before queueing: a refused or malformed call never takes a
    // worker's time.
    absl::StatusOr<CallContext> call = Begin(*context, policy);
    absl::StatusOr<Request> request =
        call.ok() ? DecodeRequest<Request>(*raw_request) : absl::StatusOr<Request>(call.status());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (!request.ok()) {
      FinishCall(reactor, policy, request.status());
      return reactor;
    }
    Post(reactor, policy, *std::move(call),
         [this, &policy, request = std::make_shared<const Request>(*std::move(request)),
          raw_response, work = std::forward<Work>(work)](const CallContext& call) -> absl::Status {
           CallContext scoped = call;
           if (policy.HasScope()) {
             scoped.scoped_ids = policy.ScopedIds(*request);
             scoped.scope_checker = &scope_checker_;
             const absl::Status in_scope =
                 scope_checker_.Check(call.caller, scoped.scoped_ids, call.deadline);
             if (!in_scope.ok()) return in_scope;
           }
           Response response;
           if (absl::Status s = work(scoped, *request, &response); !s.ok()) return s;
           return EncodeResponse(response, raw_response);
         });
    return reactor;
  }

  // For client-streaming calls, which manage their own reactor: authorizes the call (roles;
  // the stream's rows are scoped by its service) with a deadline capped at `max_deadline`
  // rather than the unary cap, since a stream may carry a whole file.
  [[nodiscard]] absl::StatusOr<CallContext> BeginStream(const grpc::CallbackServerContext& context,
                                                        const auth::MethodPolicy& policy,
                                                        absl::Duration max_deadline) const;
  // Queues blocking work for a streaming call; false when the queue is full.
  [[nodiscard]] bool TryPost(std::function<void()> work) const {
    return workers_.TryPost(std::move(work));
  }

 private:
  // `work(const CallContext&) -> absl::Status` runs on the gRPC thread: it must not block.
  template <typename Work>
  grpc::ServerUnaryReactor* RunInline(grpc::CallbackServerContext* context,
                                      const auth::MethodPolicy& policy, Work&& work) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::StatusOr<CallContext> call = Begin(*context, policy);
    FinishCall(reactor, policy, call.ok() ? work(*call) : call.status());
    return reactor;
  }

  // Untyped form: `work(const CallContext&) -> absl::Status`, on the gRPC thread.
  // Queues `work` for a worker; answers RESOURCE_EXHAUSTED at once when the queue is full.
  template <typename Work>
  void Post(grpc::ServerUnaryReactor* reactor, const auth::MethodPolicy& policy, CallContext call,
            Work&& work) const {
    const bool posted = workers_.TryPost([reactor, &policy, call = std::move(call),
                                          work = std::forward<Work>(work)]() mutable {
      if (absl::Now() >= call.deadline) {
        FinishCall(reactor, policy, absl::DeadlineExceededError("deadline exceeded while queued"));
        return;
      }
      FinishCall(reactor, policy, work(call));
    });
    if (!posted) {
      FinishCall(
          reactor, policy,
          absl::ResourceExhaustedError("server busy: too many calls waiting; retry with backoff"));
    }
  }

  absl::StatusOr<CallContext> Begin(const grpc::CallbackServerContext& context,
                                    const auth::MethodPolicy& policy) const;

  const auth::Authorizer& authorizer_;
  const auth::ScopeChecker& scope_checker_;
  WorkerPool& workers_;
  const absl::Duration max_deadline_;
};

}  // namespace lms::grpc_util
