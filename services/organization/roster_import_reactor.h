#pragma once

#include <grpcpp/grpcpp.h>

#include <optional>

#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/unary_call_runner.h"
#include "services/organization/roster_importer.h"
#include "services/organization/roster_intake.h"

namespace lms::organization {

using ImportSlots = grpc_util::ImportSlots;

inline constexpr int kMaxConcurrentImports = 2;
// The most a stream may carry: 200,000 rows of a real roster are about 40 MB.
inline constexpr size_t kMaxImportBytes = size_t{64} << 20;

// Serves one ImportRoster stream: authorizes it when it opens and takes one of the
// ImportSlots (RESOURCE_EXHAUSTED when none is free), decodes each batch as it arrives
// and checks its rows there (RosterIntake), bounded by kMaxImportRows and
// kMaxImportBytes, and when the client half-closes hands the import to a worker, which
// runs it and finishes the call. Deletes itself when the call is done.
class RosterImportReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  RosterImportReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                      const RosterImporter& importer, const grpc_util::UnaryCallRunner& runner,
                      const auth::MethodPolicy& policy, ImportSlots& slots);

  void OnReadDone(bool ok) override;
  void OnDone() override {
    LeaveSlot();
    delete this;
  }

 private:
  absl::Status Append(const grpc::ByteBuffer& batch);
  void RunImport();
  // Frees the import's slot before the answer, so a client that starts the next import
  // as soon as it has it finds the slot free.
  void Answer(const absl::Status& status) {
    LeaveSlot();
    grpc_util::FinishCall(this, policy_, status);
  }
  void LeaveSlot() {
    if (entered_) slots_.Leave();
    entered_ = false;
  }

  grpc::ByteBuffer* const response_;
  const RosterImporter& importer_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy& policy_;
  ImportSlots& slots_;
  bool entered_ = false;
  call::CallContext call_;
  grpc::ByteBuffer batch_;
  RosterIntake intake_;
  size_t bytes_ = 0;
  bool first_batch_ = true;
};

// How long an import may take: longer than a unary call's cap, a file is large.
inline constexpr absl::Duration kMaxImportDuration = absl::Minutes(10);

}  // namespace lms::organization
