#pragma once

#include "common/call/call_context.h"
#include "common/grpc/import_slots.h"
#include "common/grpc/rpc_service.h"
#include "common/grpc/unary_call_runner.h"
#include "common/time/clock.h"
#include "lms/v1/assessment.pb.h"
#include "services/assessment/attempt_service.h"
#include "services/assessment/kiosk_exam_service.h"
#include "services/assessment/paper_service.h"
#include "services/assessment/question_bank.h"
#include "services/assessment/question_importer.h"
#include "services/assessment/question_stats.h"

namespace lms::assessment {

// gRPC glue for lms.v1.AssessmentService: proto in, domain call, proto out; every unary
// RPC runs on the worker pool, the import stream on its reactor. Thread-safe.
class AssessmentHandler final {
 public:
  AssessmentHandler(const Clock& clock, const QuestionBank& bank, const QuestionImporter& importer,
                    const PaperService& papers, const AttemptService& attempts,
                    const QuestionStats& stats, const KioskExamService& kiosk_exams,
                    const grpc_util::UnaryCallRunner& runner)
      : clock_(clock),
        bank_(bank),
        importer_(importer),
        papers_(papers),
        attempts_(attempts),
        stats_(stats),
        kiosk_exams_(kiosk_exams),
        runner_(runner) {}

  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status CreateQuestion(const call::CallContext& call,
                              const v1::CreateQuestionRequest& request,
                              v1::Question* response) const;
  absl::Status UpdateQuestion(const call::CallContext& call,
                              const v1::UpdateQuestionRequest& request,
                              v1::Question* response) const;
  absl::Status RetireQuestion(const call::CallContext& call,
                              const v1::RetireQuestionRequest& request,
                              v1::Question* response) const;
  absl::Status GetQuestion(const call::CallContext& call, const v1::GetQuestionRequest& request,
                           v1::Question* response) const;
  absl::Status ListQuestions(const call::CallContext& call, const v1::ListQuestionsRequest& request,
                             v1::ListQuestionsResponse* response) const;
  absl::Status CreatePaper(const call::CallContext& call, const v1::CreatePaperRequest& request,
                           v1::Paper* response) const;
  absl::Status UpdatePaper(const call::CallContext& call, const v1::UpdatePaperRequest& request,
                           v1::Paper* response) const;
  absl::Status PublishPaper(const call::CallContext& call, const v1::PublishPaperRequest& request,
                            v1::Paper* response) const;
  absl::Status ClosePaper(const call::CallContext& call, const v1::ClosePaperRequest& request,
                          v1::Paper* response) const;
  absl::Status GetPaper(const call::CallContext& call, const v1::GetPaperRequest& request,
                        v1::Paper* response) const;
  absl::Status ListPapers(const call::CallContext& call, const v1::ListPapersRequest& request,
                          v1::ListPapersResponse* response) const;
  absl::Status GrantPaperOverride(const call::CallContext& call,
                                  const v1::GrantPaperOverrideRequest& request,
                                  v1::PaperOverride* response) const;
  absl::Status StartAttempt(const call::CallContext& call, const v1::StartAttemptRequest& request,
                            v1::Attempt* response) const;
  absl::Status GetAttempt(const call::CallContext& call, const v1::GetAttemptRequest& request,
                          v1::Attempt* response) const;
  absl::Status SaveAnswers(const call::CallContext& call, const v1::SaveAnswersRequest& request,
                           v1::SaveAnswersResponse* response) const;
  absl::Status SubmitAttempt(const call::CallContext& call, const v1::SubmitAttemptRequest& request,
                             v1::AttemptResult* response) const;
  absl::Status GetAttemptResult(const call::CallContext& call,
                                const v1::GetAttemptResultRequest& request,
                                v1::AttemptResult* response) const;
  absl::Status ListAttempts(const call::CallContext& call, const v1::ListAttemptsRequest& request,
                            v1::ListAttemptsResponse* response) const;
  absl::Status ListQuestionStats(const call::CallContext& call,
                                 const v1::ListQuestionStatsRequest& request,
                                 v1::ListQuestionStatsResponse* response) const;
  absl::Status LeaseKioskExam(const call::CallContext& call,
                              const v1::LeaseKioskExamRequest& request,
                              v1::KioskExamLease* response) const;
  absl::Status UploadKioskExam(const call::CallContext& call,
                               const v1::UploadKioskExamRequest& request,
                               v1::UploadKioskExamResponse* response) const;

 private:
  absl::Status RespondQuestion(const absl::StatusOr<Question>& question,
                               v1::Question* response) const;
  absl::Status RespondPaper(const absl::StatusOr<Paper>& paper, v1::Paper* response) const;

  const Clock& clock_;
  const QuestionBank& bank_;
  const QuestionImporter& importer_;
  const PaperService& papers_;
  const AttemptService& attempts_;
  const QuestionStats& stats_;
  const KioskExamService& kiosk_exams_;
  const grpc_util::UnaryCallRunner& runner_;
  mutable grpc_util::ImportSlots import_slots_{2};
};

}  // namespace lms::assessment
