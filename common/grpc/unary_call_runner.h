#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/authorizer.h"
#include "common/auth/method_policy.h"
#include "common/auth/scope_checker.h"
#include "common/call/call_context.h"
#include "common/grpc/call_log.h"
#include "common/grpc/request_codec.h"
#include "common/grpc/worker_pool.h"

namespace lms::grpc_util {

// Runs unary RPCs for callback handlers: decodes the request, authorizes the call against
// its RPC's policy (the one place this happens: roles by the Authorizer before queueing,
// the organisation subtree of every object the request names by the ScopeChecker on the
// worker), checks the request id, then runs the work inline when it never blocks (reads
// from memory) or on the bounded worker pool when it touches the database, encodes the
// response and finishes the reactor with the mapped status. An exception from the work is
// INTERNAL. `work(const call::CallContext&, const Request&, Response*) -> absl::Status`.
// RpcService calls it; handlers never do. Thread-safe.
class UnaryCallRunner {
 public:
  UnaryCallRunner(const auth::Authorizer& authorizer, const auth::ScopeChecker& scope_checker,
                  WorkerPool& workers, absl::Duration max_deadline)
      : authorizer_(authorizer),
        scope_checker_(scope_checker),
        workers_(workers),
        max_deadline_(max_deadline) {}

  // For work that never blocks (reads from memory): runs on the gRPC thread. Its policy
  // names no scoped fields (RpcService refuses such a binding).
  template <typename Request, typename Response, typename Work>
  grpc::ServerUnaryReactor* RunInline(grpc::CallbackServerContext* context,
                                      const auth::MethodPolicy& policy,
                                      const grpc::ByteBuffer* raw_request,
                                      grpc::ByteBuffer* raw_response, const Work& work) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const auto begun = Start<Request>(*context, policy, *raw_request, reactor);
    if (begun == nullptr) return reactor;
    FinishCall(reactor, policy, RunGuarded(policy, [&] {
                 return Serve<Response>(work, begun->first, begun->second, raw_response);
               }));
    return reactor;
  }

  // For work that touches the database: runs on the bounded worker pool (or on `pool`,
  // an RPC's own), after the subtree check of the objects the request names.
  template <typename Request, typename Response, typename Work>
  grpc::ServerUnaryReactor* RunBlocking(grpc::CallbackServerContext* context,
                                        const auth::MethodPolicy& policy,
                                        const grpc::ByteBuffer* raw_request,
                                        grpc::ByteBuffer* raw_response, const Work& work,
                                        WorkerPool* pool = nullptr) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    // Authorized and decoded before queueing: a refused or malformed call never takes a
    // worker's time.
    const auto begun = Start<Request>(*context, policy, *raw_request, reactor);
    if (begun == nullptr) return reactor;
    Post(pool == nullptr ? workers_ : *pool, reactor, policy, begun->first.deadline,
         [this, &policy, begun, raw_response, work]() -> absl::Status {
           call::CallContext& call = begun->first;
           if (absl::Status in_scope = CheckScope(policy, begun->second, call); !in_scope.ok()) {
             return in_scope;
           }
           return Serve<Response>(work, call, begun->second, raw_response);
         });
    return reactor;
  }

  // For client-streaming calls, which manage their own reactor: authorizes the call (roles;
  // the stream's rows are scoped by its service) with a deadline capped at `max_deadline`
  // rather than the unary cap, since a stream may carry a whole file.
  [[nodiscard]] absl::StatusOr<call::CallContext> BeginStream(
      const grpc::CallbackServerContext& context, const auth::MethodPolicy& policy,
      absl::Duration max_deadline) const;
  // For server-streaming calls, on a worker: the subtree half of authorization of what
  // `request` names, as for a blocking unary call.
  [[nodiscard]] absl::Status CheckStreamScope(const auth::MethodPolicy& policy,
                                              const google::protobuf::Message& request,
                                              call::CallContext& call) const {
    return CheckScope(policy, request, call);
  }
  // Tests only, before serving: every call's context carries `hook` as its before-commit
  // hook (call::RunWrite calls it inside each write's transaction, just before commit).
  void SetBeforeCommitHook(std::function<void(const call::CallContext&)> hook) {
    before_commit_ = std::move(hook);
  }

  // Queues blocking work for a streaming call; false when the queue is full.
  [[nodiscard]] bool TryPost(std::function<void()> work) const {
    return workers_.TryPost(std::move(work));
  }

 private:
  // A call from decoding to its answer; shared with the worker that serves it.
  template <typename Request>
  using Begun = std::pair<call::CallContext, Request>;

  // Authorizes, decodes and reads the request id; on failure finishes the call and
  // returns nullptr.
  template <typename Request>
  std::shared_ptr<Begun<Request>> Start(const grpc::CallbackServerContext& context,
                                        const auth::MethodPolicy& policy,
                                        const grpc::ByteBuffer& raw_request,
                                        grpc::ServerUnaryReactor* reactor) const {
    absl::StatusOr<call::CallContext> call = BeginStream(context, policy, max_deadline_);
    absl::StatusOr<Request> request =
        call.ok() ? DecodeRequest<Request>(raw_request) : absl::StatusOr<Request>(call.status());
    absl::Status status = request.status();
    if (status.ok()) status = ReadRequestId(policy, *request, *call);
    if (!status.ok()) {
      FinishCall(reactor, policy, status);
      return nullptr;
    }
    return std::make_shared<Begun<Request>>(*std::move(call), *std::move(request));
  }

  // Runs the work and encodes its response.
  template <typename Response, typename Work, typename Request>
  static absl::Status Serve(const Work& work, const call::CallContext& call, const Request& request,
                            grpc::ByteBuffer* raw_response) {
    Response response;
    if (absl::Status s = work(call, request, &response); !s.ok()) return s;
    return EncodeResponse(response, raw_response);
  }

  // The subtree half of authorization, on the worker: every object the request names must
  // be within the caller's reach; `call` then carries them for HoldScope.
  absl::Status CheckScope(const auth::MethodPolicy& policy,
                          const google::protobuf::Message& request, call::CallContext& call) const;

  // Sets call.request_id; INVALID_ARGUMENT naming request_id when malformed.
  static absl::Status ReadRequestId(const auth::MethodPolicy& policy,
                                    const google::protobuf::Message& request,
                                    call::CallContext& call);

  // Queues `work` for a worker, which finishes the call with its status (INTERNAL if it
  // throws); answers RESOURCE_EXHAUSTED at once when the queue is full.
  static void Post(WorkerPool& pool, grpc::ServerUnaryReactor* reactor,
                   const auth::MethodPolicy& policy, absl::Time deadline,
                   std::function<absl::Status()> work);

  const auth::Authorizer& authorizer_;
  const auth::ScopeChecker& scope_checker_;
  WorkerPool& workers_;
  const absl::Duration max_deadline_;
  std::function<void(const call::CallContext&)> before_commit_;
};

}  // namespace lms::grpc_util
