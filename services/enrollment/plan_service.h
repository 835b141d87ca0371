#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/hours_settings.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_repository.h"
#include "services/enrollment/reference_lookup.h"
#include "services/enrollment/training_plan.h"

namespace lms::enrollment {

struct ListPlansInput {
  int64_t organization_id = 0;
  int year = 0;
  PlanState state = PlanState::kUnspecified;
  int page_size = 0;
  std::string page_token;
};

struct PlanPage {
  std::vector<TrainingPlan> plans;
  std::string next_page_token;
};

// Annual training plans: drafts, publication (the assignment itself runs in the
// background, PlanAssigner), published edits as dated versions, closing. Authorization
// (the plan's organisation within the caller's reach) is decided before these run.
// Thread-safe.
class PlanService {
 public:
  PlanService(db::ConnectionPool& pool, const Clock& clock, const PlanRepository& plans,
              const EnrollmentRepository& enrollments, const MemberDirectory& members)
      : pool_(pool), clock_(clock), plans_(plans), enrollments_(enrollments), members_(members) {}

  [[nodiscard]] absl::StatusOr<TrainingPlan> Create(const call::CallContext& call,
                                                    const TrainingPlan& draft) const;
  [[nodiscard]] absl::StatusOr<TrainingPlan> Update(const call::CallContext& call, int64_t plan_id,
                                                    int64_t expected_version,
                                                    const TrainingPlan& edited,
                                                    const std::string& change_reason) const;
  [[nodiscard]] absl::StatusOr<TrainingPlan> Publish(const call::CallContext& call, int64_t plan_id,
                                                     int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<TrainingPlan> Close(const call::CallContext& call, int64_t plan_id,
                                                   int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<TrainingPlan> Get(const call::CallContext& call, int64_t plan_id,
                                                 int published_version) const;
  [[nodiscard]] absl::StatusOr<std::vector<PlanVersionInfo>> ListVersions(
      const call::CallContext& call, int64_t plan_id) const;
  [[nodiscard]] absl::StatusOr<PlanPage> List(const call::CallContext& call,
                                              const ListPlansInput& input) const;

 private:
  // A write that answers with the plan as stored (retries by request id included).
  template <typename Mutate>
  absl::StatusOr<TrainingPlan> Write(const call::CallContext& call, Mutate&& mutate) const;
  // NOT_FOUND naming the field for a course that does not exist; with `published`,
  // FAILED_PRECONDITION for a required course that is not published.
  absl::Status CheckCourses(db::Transaction& tx, const TrainingPlan& plan, bool published) const;
  // Applies a published edit to the enrolments: what it removed ends, due dates move,
  // additions restart the assignment job.
  absl::Status ApplyEdit(db::Transaction& tx, const TrainingPlan& before, const TrainingPlan& after,
                         const std::string& change_reason, int64_t actor, absl::Time now) const;
  absl::StatusOr<TrainingPlan> Load(db::Transaction& tx, int64_t plan_id, bool lock) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PlanRepository& plans_;
  const EnrollmentRepository& enrollments_;
  const MemberDirectory& members_;
  const ReferenceLookup references_{};
  const HoursSettings hours_{};
};

}  // namespace lms::enrollment
