#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/import_stream_reactor.h"
#include "common/grpc/unary_call_runner.h"
#include "services/assessment/question_importer.h"

namespace lms::assessment {

// The most an ImportQuestions stream may carry: 20,000 questions with long stems and
// explanations stay well below it.
inline constexpr size_t kMaxQuestionImportBytes = size_t{64} << 20;
inline constexpr absl::Duration kMaxQuestionImportDuration = absl::Minutes(10);

// Serves one ImportQuestions stream (grpc_util::ImportStreamReactor): decodes each batch
// as it arrives (the organisation and options from the first), bounded by
// kMaxImportQuestions and kMaxQuestionImportBytes; when the client half-closes,
// QuestionImporter runs the import.
class QuestionImportReactor final : public grpc_util::ImportStreamReactor {
 public:
  QuestionImportReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                        const QuestionImporter& importer, const grpc_util::UnaryCallRunner& runner,
                        const auth::MethodPolicy& policy, grpc_util::ImportSlots& slots);

 private:
  absl::Status Append(const grpc::ByteBuffer& batch) override;
  absl::Status Run(const call::CallContext& call, grpc::ByteBuffer* response) override;

  const QuestionImporter& importer_;
  QuestionImport import_;
  bool first_batch_ = true;
};

}  // namespace lms::assessment
