#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/unary_call_runner.h"
#include "services/organization/roster_importer.h"

namespace lms::organization {

// Serves one ImportRoster stream: authorizes it when it opens, decodes each batch of rows
// as it arrives (bounded by kMaxImportRows), and when the client half-closes hands the
// whole import to a worker, which runs it and finishes the call. Deletes itself when
// the call is done.
class RosterImportReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  RosterImportReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                      const RosterImporter& importer, const grpc_util::UnaryCallRunner& runner,
                      const auth::MethodPolicy& policy);

  void OnReadDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  absl::Status Append(const grpc::ByteBuffer& batch);
  void RunImport();
  void Answer(const absl::Status& status) { grpc_util::FinishCall(this, policy_, status); }

  grpc::ByteBuffer* const response_;
  const RosterImporter& importer_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy& policy_;
  call::CallContext call_;
  grpc::ByteBuffer batch_;
  RosterImport import_;
  bool first_batch_ = true;
};

// How long an import may take: longer than a unary call's cap, a file is large.
inline constexpr absl::Duration kMaxImportDuration = absl::Minutes(10);

}  // namespace lms::organization
