#include "services/enrollment/plan_assigner.h"

#include <vector>

#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {

absl::StatusOr<bool> PlanAssigner::RunBatch(int64_t plan_id, absl::Time deadline) const {
  return db::RunTransactionFor<bool>(
      pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(const std::optional<TrainingPlan> plan, plans_.Find(tx, plan_id, true));
        if (!plan.has_value() || plan->state != PlanState::kPublished ||
            plan->assignment.state != AssignmentState::kAssigning) {
          return true;
        }
        ASSIGN_OR_RETURN(const std::vector<Enrollee> batch,
                         members_.ActiveBatch(tx, plan->organization_id, plan->assignment.cursor,
                                              members_per_batch_));
        std::vector<int64_t> ids;
        ids.reserve(batch.size());
        for (const Enrollee& member : batch) ids.push_back(member.id);
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(
            const int64_t created,
            enrollments_.OpenPlanBatch(tx, plan->id, plan->published_version, plan->organization_id,
                                       plan->assignment.cursor, ids, now));
        AssignmentStep step;
        step.cursor = batch.empty() ? plan->assignment.cursor : batch.back().id;
        step.members = static_cast<int64_t>(batch.size());
        step.created = created;
        step.done = static_cast<int>(batch.size()) < members_per_batch_;
        RETURN_IF_ERROR(plans_.AdvanceAssignment(tx, plan_id, step, now));
        return step.done;
      });
}

absl::Status PlanAssigner::RunPending(absl::Duration budget) const {
  const absl::Time stop = absl::Now() + budget;
  ASSIGN_OR_RETURN(const std::vector<int64_t> assigning,
                   db::RunTransactionFor<std::vector<int64_t>>(
                       pool_, stop, [&](db::Transaction& tx) { return plans_.Assigning(tx); }));
  for (const int64_t plan_id : assigning) {
    bool done = false;
    while (!done && absl::Now() < stop) {
      ASSIGN_OR_RETURN(done, RunBatch(plan_id, stop + absl::Seconds(30)));
    }
  }
  return absl::OkStatus();
}

}  // namespace lms::enrollment
