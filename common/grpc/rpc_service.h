#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/service_type.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/unary_call_runner.h"

namespace google::protobuf {
class Descriptor;
class MethodDescriptor;
}  // namespace google::protobuf

namespace lms::grpc_util {

// A gRPC service built from its descriptor, whose RPCs are bound one line each to typed
// handler functions:
//
//   rpcs.Blocking("CreateCourse", *this, &CourseHandler::CreateCourse);  // database work
//   rpcs.Inline("GetCourse", *this, &CourseHandler::GetCourse);          // memory only
//
// where the handler function is
//   absl::Status CreateCourse(const call::CallContext&, const v1::CreateCourseRequest&,
//                             v1::Course*) const;
//
// Each binding is checked against the descriptor — the RPC exists, is bound once, its
// request and response types and streaming kind match, its access policy is valid, and
// an inline RPC names no scoped fields (the subtree check reads the database) — and every
// RPC of the service must be bound. Verify() reports every mismatch at once; ServerHost
// refuses to start on any. Methods take raw buffers so the UnaryCallRunner decodes them
// itself (INVALID_ARGUMENT, not UNIMPLEMENTED, for a text field that is not UTF-8).
// Bind everything before the server starts; serving is then thread-safe.
class RpcService final : public grpc::Service {
 public:
  // `service_name` is the full name, "lms.v1.CourseService".
  RpcService(absl::string_view service_name, const UnaryCallRunner& runner);
  RpcService(const RpcService&) = delete;
  RpcService& operator=(const RpcService&) = delete;

  template <typename Handler, typename Request, typename Response>
  using HandlerFunction = absl::Status (Handler::*)(const call::CallContext&, const Request&,
                                                    Response*) const;

  // An RPC whose work touches the database: it runs on the worker pool.
  template <typename Handler, typename Request, typename Response>
  void Blocking(absl::string_view method, const Handler& handler,
                HandlerFunction<Handler, Request, Response> function) {
    BindUnary<Request, Response>(method, handler, function, /*run_inline=*/false);
  }

  // An RPC whose work is bounded apart (password hashing): it runs on `pool`, its own
  // small pool, so a flood of it neither waits behind nor holds up the shared workers;
  // when `pool` is full the call is refused at once (RESOURCE_EXHAUSTED).
  template <typename Handler, typename Request, typename Response>
  void BlockingOn(WorkerPool& pool, absl::string_view method, const Handler& handler,
                  HandlerFunction<Handler, Request, Response> function) {
    BindUnary<Request, Response>(method, handler, function, /*run_inline=*/false, &pool);
  }

  // An RPC whose work never blocks (reads from memory): it runs on the gRPC thread.
  template <typename Handler, typename Request, typename Response>
  void Inline(absl::string_view method, const Handler& handler,
              HandlerFunction<Handler, Request, Response> function) {
    BindUnary<Request, Response>(method, handler, function, /*run_inline=*/true);
  }

  // A client-streaming RPC: `open` makes the reactor that serves one call.
  using StreamOpener = std::function<grpc::ServerReadReactor<grpc::ByteBuffer>*(
      grpc::CallbackServerContext*, grpc::ByteBuffer*, const auth::MethodPolicy&)>;
  template <typename Request, typename Response>
  void ClientStream(absl::string_view method, StreamOpener open) {
    const Slot* slot = Claim(method, Request::descriptor(), Response::descriptor(),
                             Shape::kClientStream, /*run_inline=*/false);
    if (slot == nullptr) return;
    const auth::MethodPolicy& policy = *slot->policy;
    MarkMethodRawCallback(
        slot->index,
        new grpc::internal::CallbackClientStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [open = std::move(open), &policy](grpc::CallbackServerContext* context,
                                              grpc::ByteBuffer* response) {
              return open(context, response, policy);
            }));
  }

  // A server-streaming RPC: `open` makes the reactor that serves one call (it runs the
  // call's authorization itself, as DownloadStreamReactor does).
  using DownloadOpener = std::function<grpc::ServerWriteReactor<grpc::ByteBuffer>*(
      grpc::CallbackServerContext*, const grpc::ByteBuffer*, const auth::MethodPolicy&)>;
  template <typename Request, typename Response>
  void ServerStream(absl::string_view method, DownloadOpener open) {
    const Slot* slot = Claim(method, Request::descriptor(), Response::descriptor(),
                             Shape::kServerStream, /*run_inline=*/false);
    if (slot == nullptr) return;
    const auth::MethodPolicy& policy = *slot->policy;
    MarkMethodRawCallback(
        slot->index,
        new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [open = std::move(open), &policy](grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer* request) {
              return open(context, request, policy);
            }));
  }

  const std::string& name() const { return name_; }
  // The policies of the bound RPCs.
  [[nodiscard]] std::vector<const auth::MethodPolicy*> policies() const;
  // OK when every RPC is bound exactly once with the right types and a valid policy;
  // otherwise INTERNAL listing every problem.
  [[nodiscard]] absl::Status Verify() const;

 private:
  // How an RPC streams.
  enum class Shape { kUnary, kClientStream, kServerStream };

  struct Slot {
    const google::protobuf::MethodDescriptor* descriptor = nullptr;
    int index = 0;
    // "/lms.v1.CourseService/CreateCourse"; gRPC keeps a pointer to its characters.
    std::string path;
    std::unique_ptr<const auth::MethodPolicy> policy;
    bool bound = false;
  };

  template <typename Request, typename Response, typename Handler>
  void BindUnary(absl::string_view method, const Handler& handler,
                 HandlerFunction<Handler, Request, Response> function, bool run_inline,
                 WorkerPool* pool = nullptr) {
    const Slot* slot =
        Claim(method, Request::descriptor(), Response::descriptor(), Shape::kUnary, run_inline);
    if (slot == nullptr) return;
    const auth::MethodPolicy& policy = *slot->policy;
    const UnaryCallRunner& runner = runner_;
    const auto work = [&handler, function](const call::CallContext& call, const Request& request,
                                           Response* response) {
      return (handler.*function)(call, request, response);
    };
    MarkMethodRawCallback(
        slot->index, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
                         [&runner, &policy, work, run_inline, pool](
                             grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                             grpc::ByteBuffer* response) {
                           return run_inline ? runner.RunInline<Request, Response>(
                                                   context, policy, request, response, work)
                                             : runner.RunBlocking<Request, Response>(
                                                   context, policy, request, response, work, pool);
                         }));
  }

  // The slot of `method` when a binding of these types and kind is valid; otherwise
  // nullptr, with the problem recorded for Verify().
  const Slot* Claim(absl::string_view method, const google::protobuf::Descriptor* request,
                    const google::protobuf::Descriptor* response, Shape shape, bool run_inline);

  const std::string name_;
  const UnaryCallRunner& runner_;
  std::vector<Slot> slots_;
  std::vector<std::string> problems_;
};

}  // namespace lms::grpc_util
