#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/auth/method_policy.h"
#include "common/call/call_context.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/unary_call_runner.h"
#include "services/assessment/question_importer.h"

namespace lms::assessment {

// The most an ImportQuestions stream may carry: 20,000 questions with long stems and
// explanations stay well below it.
inline constexpr size_t kMaxQuestionImportBytes = size_t{64} << 20;
inline constexpr absl::Duration kMaxQuestionImportDuration = absl::Minutes(10);

// Serves one ImportQuestions stream: authorizes it when it opens and takes an import
// slot (RESOURCE_EXHAUSTED when none is free), decodes each batch as it arrives (the
// organisation and options from the first), bounded by kMaxImportQuestions and
// kMaxQuestionImportBytes, and when the client half-closes hands the import to a worker,
// which runs it and finishes the call. Deletes itself when the call is done.
class QuestionImportReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  QuestionImportReactor(grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                        const QuestionImporter& importer, const grpc_util::UnaryCallRunner& runner,
                        const auth::MethodPolicy& policy, grpc_util::ImportSlots& slots);

  void OnReadDone(bool ok) override;
  void OnDone() override {
    LeaveSlot();
    delete this;
  }

 private:
  absl::Status Append(const grpc::ByteBuffer& batch);
  void RunImport();
  void Answer(const absl::Status& status) {
    LeaveSlot();
    grpc_util::FinishCall(this, policy_, status);
  }
  void LeaveSlot() {
    if (entered_) slots_.Leave();
    entered_ = false;
  }

  grpc::ByteBuffer* const response_;
  const QuestionImporter& importer_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy& policy_;
  grpc_util::ImportSlots& slots_;
  bool entered_ = false;
  call::CallContext call_;
  grpc::ByteBuffer batch_;
  QuestionImport import_;
  size_t bytes_ = 0;
  bool first_batch_ = true;
};

}  // namespace lms::assessment
