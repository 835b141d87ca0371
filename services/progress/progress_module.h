#pragma once

#include <memory>
#include <vector>

#include "common/sched/periodic_task.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/hours_owed.h"
#include "services/enrollment/member_directory.h"
#include "services/progress/course_completion.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/kiosk_sync.h"
#include "services/progress/lesson_catalog.h"
#include "services/progress/lesson_facts_cache.h"
#include "services/progress/offline_evidence_checker.h"
#include "services/progress/offline_repository.h"
#include "services/progress/pending_confirmation.h"
#include "services/progress/progress_handler.h"
#include "services/progress/progress_recorder.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"
#include "services/progress/progress_service.h"
#include "services/server/service_module.h"

namespace lms::progress {

// The progress service's object graph inside a server: repositories, the ledger, the
// recorder, service and handler; the object kind it owns ("hours_credit", owned by its
// member); and the task "progress_compaction", which deletes raw events past the
// retention window a batch at a time.
class ProgressModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<ProgressModule>(runtime);
  }
  explicit ProgressModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override { return {compaction_task_.get()}; }

 private:
  const ProgressRepository progress_{};
  const LessonCatalog catalog_{};
  const HoursLedger ledger_{};
  const enrollment::EnrollmentRepository enrollments_{};
  const enrollment::MemberDirectory members_{};
  const enrollment::HoursOwed hours_owed_{members_};
  ProgressRulesSource rules_;
  const CourseCompletion completion_{progress_, catalog_, ledger_};
  LessonFactsCache lesson_cache_{catalog_};
  const ProgressRecorder recorder_{progress_, lesson_cache_, completion_, ledger_, enrollments_};
  ProgressService service_;
  const OfflineRepository offline_{};
  const OfflineEvidenceChecker evidence_;
  KioskSync kiosk_sync_;
  PendingConfirmation pending_;
  ProgressHandler handler_{service_, kiosk_sync_, pending_};
  grpc_util::RpcService rpcs_;
  std::unique_ptr<sched::PeriodicTask> compaction_task_;
};

}  // namespace lms::progress
