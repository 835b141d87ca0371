#pragma once

#include <memory>
#include <vector>

#include "common/sched/periodic_task.h"
#include "services/assessment/assessment_handler.h"
#include "services/assessment/attempt_grader.h"
#include "services/assessment/attempt_repository.h"
#include "services/assessment/attempt_service.h"
#include "services/assessment/kiosk_exam_service.h"
#include "services/assessment/paper_repository.h"
#include "services/assessment/paper_service.h"
#include "services/assessment/question_bank.h"
#include "services/assessment/question_importer.h"
#include "services/assessment/question_repository.h"
#include "services/assessment/question_stats.h"
#include "services/assessment/question_version_cache.h"
#include "services/assessment/test_pass.h"
#include "services/progress/course_completion.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/lesson_catalog.h"
#include "services/progress/offline_evidence_checker.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"
#include "services/server/service_module.h"

namespace lms::assessment {

// The assessment service's object graph inside a server; the object kinds it owns
// ("question" and "paper", owned by their organisation; "attempt", owned by its member);
// and its tasks: "assessment_overdue" grades attempts left open past their deadline plus
// grace (every 15 s, so within a minute; a kiosk exam lease not uploaded by its deadline
// too, as abandoned), "assessment_question_stats" folds graded
// attempts into the per-question statistics (every minute).
class AssessmentModule final : public server::ServiceModule {
 public:
  // FAILED_PRECONDITION without the token secret key: kiosk exam leases are signed with it.
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime);
  explicit AssessmentModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override {
    return {overdue_task_.get(), stats_task_.get()};
  }

 private:
  const QuestionRepository questions_{};
  const PaperRepository papers_{};
  const AttemptRepository attempts_{};
  const progress::ProgressRepository progress_{};
  const progress::LessonCatalog catalog_{};
  const progress::HoursLedger ledger_{};
  const progress::CourseCompletion completion_{progress_, catalog_, ledger_};
  progress::ProgressRulesSource rules_;
  const TestPass pass_{ledger_, completion_, progress_, rules_};
  const QuestionVersionCache versions_{questions_};
  const AttemptGrader grader_{attempts_, versions_, pass_};
  QuestionBank bank_;
  QuestionImporter importer_;
  PaperService paper_service_;
  AttemptService attempt_service_;
  QuestionStats stats_;
  const progress::OfflineRepository offline_{};
  const progress::OfflineEvidenceChecker evidence_;
  KioskExamService kiosk_exams_;
  AssessmentHandler handler_;
  grpc_util::RpcService rpcs_;
  std::unique_ptr<sched::PeriodicTask> overdue_task_;
  std::unique_ptr<sched::PeriodicTask> stats_task_;
};

}  // namespace lms::assessment
