#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_repository.h"

namespace lms::enrollment {

// The background half of publishing: enrols a published plan's subtree in batches of
// members, in member id order. Each batch is one transaction holding the plan's row
// lock: it reads the job's cursor, opens the batch's plan reasons with multi-row
// INSERTs, and advances the cursor and counts, so a crash or restart resumes after the
// last committed batch and two runners (two servers, or a publish racing the task)
// take turns instead of doubling anything (the unique keys would refuse it anyway).
// Thread-safe.
class PlanAssigner {
 public:
  PlanAssigner(db::ConnectionPool& pool, const Clock& clock, const PlanRepository& plans,
               const EnrollmentRepository& enrollments, const MemberDirectory& members,
               int members_per_batch = 1000)
      : pool_(pool),
        clock_(clock),
        plans_(plans),
        enrollments_(enrollments),
        members_(members),
        members_per_batch_(members_per_batch) {}

  // One batch of one plan; true when its job has nothing left to do.
  [[nodiscard]] absl::StatusOr<bool> RunBatch(int64_t plan_id, absl::Time deadline) const;
  // Every running job, batch after batch, until each is done or `budget` is spent (the
  // rest continues on the next call).
  [[nodiscard]] absl::Status RunPending(absl::Duration budget) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PlanRepository& plans_;
  const EnrollmentRepository& enrollments_;
  const MemberDirectory& members_;
  const int members_per_batch_;
};

}  // namespace lms::enrollment
