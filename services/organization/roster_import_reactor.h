#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/import_stream_reactor.h"
#include "common/grpc/unary_call_runner.h"
#include "services/organization/roster_importer.h"
#include "services/organization/roster_intake.h"

namespace lms::organization {

using ImportSlots = grpc_util::ImportSlots;

inline constexpr int kMaxConcurrentImports = 2;
// The most a stream may carry: 200,000 rows of a real roster are about 40 MB.
inline constexpr size_t kMaxImportBytes = size_t{64} << 20;
// How long an import may take: longer than a unary call's cap, a file is large.
inline constexpr absl::Duration kMaxImportDuration = absl::Minutes(10);

// Serves one ImportRoster stream (grpc_util::ImportStreamReactor): decodes each batch as
// it arrives and checks its rows there (RosterIntake), bounded by kMaxImportRows and
// kMaxImportBytes; when the client half-closes, RosterImporter runs the import.
class RosterImportReactor final : public grpc_util::ImportStreamReactor {
 public:
  RosterImportReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                      const RosterImporter& importer, const grpc_util::UnaryCallRunner& runner,
                      const auth::MethodPolicy& policy, ImportSlots& slots);

 private:
  absl::Status Append(const grpc::ByteBuffer& batch) override;
  absl::Status Run(const call::CallContext& call, grpc::ByteBuffer* response) override;

  const RosterImporter& importer_;
  RosterIntake intake_;
  bool first_batch_ = true;
};

}  // namespace lms::organization
