#include "services/assessment/assessment_handler.h"

#include "common/db/run_transaction.h"
#include "common/grpc/proto_time.h"
#include "services/assessment/assessment_mapping.h"
#include "services/assessment/question_import_reactor.h"

namespace lms::assessment {

void AssessmentHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("CreateQuestion", *this, &AssessmentHandler::CreateQuestion);
  rpcs.Blocking("UpdateQuestion", *this, &AssessmentHandler::UpdateQuestion);
  rpcs.Blocking("RetireQuestion", *this, &AssessmentHandler::RetireQuestion);
  rpcs.Blocking("GetQuestion", *this, &AssessmentHandler::GetQuestion);
  rpcs.Blocking("ListQuestions", *this, &AssessmentHandler::ListQuestions);
  rpcs.ClientStream<v1::ImportQuestionsRequest, v1::ImportQuestionsResponse>(
      "ImportQuestions", [this](grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
                                const auth::MethodPolicy& policy) {
        return new QuestionImportReactor(context, response, importer_, runner_, policy,
                                         import_slots_);
      });
  rpcs.Blocking("CreatePaper", *this, &AssessmentHandler::CreatePaper);
  rpcs.Blocking("UpdatePaper", *this, &AssessmentHandler::UpdatePaper);
  rpcs.Blocking("PublishPaper", *this, &AssessmentHandler::PublishPaper);
  rpcs.Blocking("ClosePaper", *this, &AssessmentHandler::ClosePaper);
  rpcs.Blocking("GetPaper", *this, &AssessmentHandler::GetPaper);
  rpcs.Blocking("ListPapers", *this, &AssessmentHandler::ListPapers);
  rpcs.Blocking("GrantPaperOverride", *this, &AssessmentHandler::GrantPaperOverride);
  rpcs.Blocking("StartAttempt", *this, &AssessmentHandler::StartAttempt);
  rpcs.Blocking("GetAttempt", *this, &AssessmentHandler::GetAttempt);
  rpcs.Blocking("SaveAnswers", *this, &AssessmentHandler::SaveAnswers);
  rpcs.Blocking("SubmitAttempt", *this, &AssessmentHandler::SubmitAttempt);
  rpcs.Blocking("GetAttemptResult", *this, &AssessmentHandler::GetAttemptResult);
  rpcs.Blocking("ListAttempts", *this, &AssessmentHandler::ListAttempts);
  rpcs.Blocking("ListQuestionStats", *this, &AssessmentHandler::ListQuestionStats);
  rpcs.Blocking("LeaseKioskExam", *this, &AssessmentHandler::LeaseKioskExam);
  rpcs.Blocking("UploadKioskExam", *this, &AssessmentHandler::UploadKioskExam);
}

absl::Status AssessmentHandler::RespondQuestion(const absl::StatusOr<Question>& question,
                                                v1::Question* response) const {
  if (question.ok()) ToProto(*question, response);
  return question.status();
}

absl::Status AssessmentHandler::RespondPaper(const absl::StatusOr<Paper>& paper,
                                             v1::Paper* response) const {
  if (paper.ok()) ToProto(*paper, true, response);
  return paper.status();
}

absl::Status AssessmentHandler::CreateQuestion(const call::CallContext& call,
                                               const v1::CreateQuestionRequest& request,
                                               v1::Question* response) const {
  return RespondQuestion(bank_.Create(call, request.question().organization_id(),
                                      static_cast<QuestionType>(request.question().type()),
                                      ContentFromProto(request.question())),
                         response);
}

absl::Status AssessmentHandler::UpdateQuestion(const call::CallContext& call,
                                               const v1::UpdateQuestionRequest& request,
                                               v1::Question* response) const {
  return RespondQuestion(bank_.Update(call, request.question_id(), request.expected_version(),
                                      ContentFromProto(request.question())),
                         response);
}

absl::Status AssessmentHandler::RetireQuestion(const call::CallContext& call,
                                               const v1::RetireQuestionRequest& request,
                                               v1::Question* response) const {
  return RespondQuestion(bank_.Retire(call, request.question_id(), request.expected_version()),
                         response);
}

absl::Status AssessmentHandler::GetQuestion(const call::CallContext& call,
                                            const v1::GetQuestionRequest& request,
                                            v1::Question* response) const {
  return RespondQuestion(bank_.Get(call, request.question_id(), request.version()), response);
}

absl::Status AssessmentHandler::ListQuestions(const call::CallContext& call,
                                              const v1::ListQuestionsRequest& request,
                                              v1::ListQuestionsResponse* response) const {
  ListQuestionsInput input;
  QuestionQuery& filters = input.filters;
  filters.organization_id = request.organization_id();
  filters.include_above = request.include_above();
  filters.type = static_cast<QuestionType>(request.type());
  filters.content_category = static_cast<ContentCategory>(request.content_category());
  filters.difficulty = request.difficulty();
  filters.tag = request.tag();
  filters.stem_contains = request.query();
  filters.include_retired = request.include_retired();
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  absl::StatusOr<QuestionPage> page = bank_.List(call, input);
  if (!page.ok()) return page.status();
  for (const Question& question : page->questions) ToProto(question, response->add_questions());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status AssessmentHandler::CreatePaper(const call::CallContext& call,
                                            const v1::CreatePaperRequest& request,
                                            v1::Paper* response) const {
  const v1::Paper& paper = request.paper();
  return RespondPaper(
      papers_.Create(call, paper.organization_id(), static_cast<PaperKind>(paper.kind()),
                     paper.course_id(), paper.plan_id(), SettingsFromProto(paper)),
      response);
}

absl::Status AssessmentHandler::UpdatePaper(const call::CallContext& call,
                                            const v1::UpdatePaperRequest& request,
                                            v1::Paper* response) const {
  return RespondPaper(papers_.Update(call, request.paper_id(), request.expected_version(),
                                     SettingsFromProto(request.paper())),
                      response);
}

absl::Status AssessmentHandler::PublishPaper(const call::CallContext& call,
                                             const v1::PublishPaperRequest& request,
                                             v1::Paper* response) const {
  return RespondPaper(papers_.Publish(call, request.paper_id(), request.expected_version()),
                      response);
}

absl::Status AssessmentHandler::ClosePaper(const call::CallContext& call,
                                           const v1::ClosePaperRequest& request,
                                           v1::Paper* response) const {
  return RespondPaper(papers_.Close(call, request.paper_id(), request.expected_version()),
                      response);
}

absl::Status AssessmentHandler::GetPaper(const call::CallContext& call,
                                         const v1::GetPaperRequest& request,
                                         v1::Paper* response) const {
  absl::StatusOr<Paper> paper = papers_.Get(call, request.paper_id());
  if (!paper.ok()) return paper.status();
  ToProto(*paper, call.caller.IsAdmin(), response);
  if (call.caller.member_id > 0 && !call.caller.IsAdmin()) {
    absl::StatusOr<StandingView> standing = attempts_.StandingFor(call, *paper);
    if (!standing.ok()) return standing.status();
    ToProto(*standing, response->mutable_standing());
  }
  return absl::OkStatus();
}

absl::Status AssessmentHandler::ListPapers(const call::CallContext& call,
                                           const v1::ListPapersRequest& request,
                                           v1::ListPapersResponse* response) const {
  ListPapersInput input;
  PaperQuery& filters = input.filters;
  filters.organization_id = request.organization_id();
  filters.include_subtree = request.include_subtree();
  filters.kind = static_cast<PaperKind>(request.kind());
  filters.state = static_cast<PaperState>(request.state());
  filters.course_id = request.course_id();
  filters.plan_id = request.plan_id();
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  absl::StatusOr<PaperPage> page = papers_.List(call, input);
  if (!page.ok()) return page.status();
  for (const Paper& paper : page->papers) {
    ToProto(paper, call.caller.IsAdmin(), response->add_papers());
  }
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status AssessmentHandler::GrantPaperOverride(const call::CallContext& call,
                                                   const v1::GrantPaperOverrideRequest& request,
                                                   v1::PaperOverride* response) const {
  absl::StatusOr<OverrideOutcome> outcome =
      attempts_.GrantOverride(call, request.paper_id(), request.member_id(),
                              request.extra_attempts(), request.extra_minutes(), request.reason());
  if (!outcome.ok()) return outcome.status();
  response->set_paper_id(request.paper_id());
  response->set_member_id(request.member_id());
  response->set_extra_attempts(outcome->standing.extra_attempts);
  response->set_extra_seconds(outcome->standing.extra_seconds);
  grpc_util::SetTimestamp(outcome->open_attempt_deadline,
                          response->mutable_open_attempt_deadline());
  return absl::OkStatus();
}

absl::Status AssessmentHandler::StartAttempt(const call::CallContext& call,
                                             const v1::StartAttemptRequest& request,
                                             v1::Attempt* response) const {
  absl::StatusOr<Attempt> attempt = attempts_.Start(call, request.paper_id());
  if (attempt.ok()) ToProto(*attempt, clock_.Now(), response);
  return attempt.status();
}

absl::Status AssessmentHandler::GetAttempt(const call::CallContext& call,
                                           const v1::GetAttemptRequest& request,
                                           v1::Attempt* response) const {
  absl::StatusOr<Attempt> attempt = attempts_.Get(call, request.attempt_id());
  if (attempt.ok()) ToProto(*attempt, clock_.Now(), response);
  return attempt.status();
}

absl::Status AssessmentHandler::SaveAnswers(const call::CallContext& call,
                                            const v1::SaveAnswersRequest& request,
                                            v1::SaveAnswersResponse* response) const {
  absl::StatusOr<SaveOutcome> outcome = attempts_.Save(
      call, request.attempt_id(), request.sequence(), AnswersFromProto(request.answers()));
  if (!outcome.ok()) return outcome.status();
  const Attempt& attempt = outcome->attempt;
  response->set_save_sequence(attempt.save_sequence);
  grpc_util::SetTimestamp(clock_.Now(), response->mutable_server_time());
  grpc_util::SetTimestamp(attempt.deadline, response->mutable_deadline());
  for (const int32_t position : outcome->feedback_positions) {
    ToProto(attempt.questions[static_cast<size_t>(position - 1)], true, response->add_feedback());
  }
  return absl::OkStatus();
}

absl::Status AssessmentHandler::SubmitAttempt(const call::CallContext& call,
                                              const v1::SubmitAttemptRequest& request,
                                              v1::AttemptResult* response) const {
  absl::StatusOr<ResultView> result = attempts_.Submit(
      call, request.attempt_id(), request.sequence(), AnswersFromProto(request.answers()));
  if (result.ok()) ToProto(*result, response);
  return result.status();
}

absl::Status AssessmentHandler::GetAttemptResult(const call::CallContext& call,
                                                 const v1::GetAttemptResultRequest& request,
                                                 v1::AttemptResult* response) const {
  absl::StatusOr<ResultView> result = attempts_.Result(call, request.attempt_id());
  if (result.ok()) ToProto(*result, response);
  return result.status();
}

absl::Status AssessmentHandler::ListAttempts(const call::CallContext& call,
                                             const v1::ListAttemptsRequest& request,
                                             v1::ListAttemptsResponse* response) const {
  absl::StatusOr<AttemptPage> page = attempts_.List(call, request.paper_id(), request.member_id(),
                                                    request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const Attempt& attempt : page->attempts) ToProto(attempt, response->add_attempts());
  response->set_next_page_token(page->next_page_token);
  ToProto(page->standing, response->mutable_standing());
  return absl::OkStatus();
}

absl::Status AssessmentHandler::ListQuestionStats(const call::CallContext& call,
                                                  const v1::ListQuestionStatsRequest& request,
                                                  v1::ListQuestionStatsResponse* response) const {
  absl::StatusOr<QuestionStatPage> page =
      stats_.List(call, request.paper_id(), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const QuestionStat& stat : page->questions) {
    v1::QuestionStats* out = response->add_questions();
    out->set_question_id(stat.question_id);
    out->set_attempts(stat.attempts);
    out->set_answered(stat.answered);
    out->set_correct(stat.correct);
    out->set_correct_permille(
        stat.attempts > 0 ? static_cast<int32_t>(stat.correct * 1000 / stat.attempts) : 0);
    if (stat.most_common_wrong.has_value()) {
      ToProto(stat.question_id, *stat.most_common_wrong, out->mutable_most_common_wrong_answer());
    }
    out->set_most_common_wrong_count(stat.most_common_wrong_count);
  }
  response->set_next_page_token(page->next_page_token);
  grpc_util::SetTimestamp(page->computed_through, response->mutable_computed_through());
  return absl::OkStatus();
}

absl::Status AssessmentHandler::LeaseKioskExam(const call::CallContext& call,
                                               const v1::LeaseKioskExamRequest& request,
                                               v1::KioskExamLease* response) const {
  absl::StatusOr<LeaseGrant> grant =
      kiosk_exams_.Lease(call, request.paper_id(), request.kiosk_public_key());
  if (!grant.ok()) return grant.status();
  response->set_lease(grant->text);
  *response->mutable_claims() = std::move(grant->claims);
  return absl::OkStatus();
}

absl::Status AssessmentHandler::UploadKioskExam(const call::CallContext& call,
                                                const v1::UploadKioskExamRequest& request,
                                                v1::UploadKioskExamResponse* response) const {
  absl::StatusOr<ExamUploadVerdict> verdict = kiosk_exams_.Upload(call, request);
  if (!verdict.ok()) return verdict.status();
  response->set_outcome(static_cast<v1::ExamUploadOutcome>(verdict->outcome));
  response->set_refusal(static_cast<v1::ExamUploadRefusal>(verdict->refusal));
  response->set_detail(verdict->detail);
  if (verdict->result.has_value()) ToProto(*verdict->result, response->mutable_result());
  response->set_late_answers(verdict->late_answers);
  return absl::OkStatus();
}

}  // namespace lms::assessment
