#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/enrollment/plan_requirements.h"
#include "services/enrollment/training_plan.h"

namespace lms::enrollment {

// Which plans a list shows: a subtree's (or the plans above an organisation, for its
// members), by year and state; keyset paged by id.
struct PlanFilter {
  int64_t organization_id = 0;
  // true: plans of organisations above `organization_id` and its own (a member's view);
  // false: plans of its subtree.
  bool covering = false;
  int year = 0;
  std::vector<PlanState> states;
  int64_t after_id = 0;
  int limit = 50;
};

// Where a publication's assignment job stands, advanced batch by batch.
struct AssignmentStep {
  int64_t cursor = 0;
  int64_t members = 0;
  int64_t created = 0;
  bool done = false;
};

// SQL for training_plan and its versioned content (plan_version, plan_category,
// plan_course, plan_schedule_item). Version 0 is a draft's working copy; published
// versions are written whole and never changed. Stateless; thread-safe.
class PlanRepository {
 public:
  // Inserts a draft (header and version 0); ALREADY_EXISTS for a second plan of the same
  // organisation and year.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const TrainingPlan& plan,
                                               int64_t actor, absl::Time now) const;
  // The plan with its current content; with `lock`, the header row FOR UPDATE.
  [[nodiscard]] absl::StatusOr<std::optional<TrainingPlan>> Find(db::Transaction& tx, int64_t id,
                                                                 bool lock) const;
  // The plan's content as version `published_version` stood (NOT_FOUND if none).
  [[nodiscard]] absl::StatusOr<TrainingPlan> FindVersion(db::Transaction& tx, int64_t id,
                                                         int published_version) const;
  // Writes `plan`'s content as version `version` (replacing a draft's version 0).
  [[nodiscard]] absl::Status WriteContent(db::Transaction& tx, const TrainingPlan& plan,
                                          int version, const PlanVersionInfo& info) const;
  // Saves the header: state, version, published_version, times.
  [[nodiscard]] absl::Status SaveHeader(db::Transaction& tx, const TrainingPlan& plan) const;
  // Starts (or restarts, after a published edit added requirements) the assignment job.
  [[nodiscard]] absl::Status StartAssignment(db::Transaction& tx, int64_t plan_id, int64_t targeted,
                                             absl::Time now) const;
  [[nodiscard]] absl::Status AdvanceAssignment(db::Transaction& tx, int64_t plan_id,
                                               const AssignmentStep& step, absl::Time now) const;
  // Plans whose assignment job is running.
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> Assigning(db::Transaction& tx) const;
  [[nodiscard]] absl::StatusOr<std::vector<PlanVersionInfo>> Versions(db::Transaction& tx,
                                                                      int64_t plan_id) const;
  // A page of plans without requirements and schedule.
  [[nodiscard]] absl::StatusOr<std::vector<TrainingPlan>> List(db::Transaction& tx,
                                                               const PlanFilter& filter) const;
  // The organisation a plan belongs to (the authorization owner); nullopt if none.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> OrganizationOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const;
  // The plan of an organisation for a year, if any.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> IdForYear(db::Transaction& tx,
                                                                 int64_t organization_id,
                                                                 int year) const;
  // A plan's state; nullopt if none.
  [[nodiscard]] absl::StatusOr<std::optional<PlanState>> StateOf(db::Transaction& tx,
                                                                 int64_t id) const;
  // The plans of `year` published by the end of `day`, each with the requirements of the
  // version in force that day (the latest whose effective date is on or before it): what
  // statistics "as of" the day hold members to. A closed plan counts for its year (plans
  // close only once their year is over).
  [[nodiscard]] absl::StatusOr<std::vector<PlanRequirements>> InForceOn(db::Transaction& tx,
                                                                        int year,
                                                                        absl::CivilDay day) const;
  // For each of `organization_ids`, the current requirements of every published plan
  // covering its members (its own and those above it), for years >= `from_year`. One
  // query finds the plans of them all; each distinct plan's requirements are read once.
  [[nodiscard]] absl::StatusOr<absl::flat_hash_map<int64_t, std::vector<PlanRequirements>>>
  CoveringMany(db::Transaction& tx, const std::vector<int64_t>& organization_ids,
               int from_year) const;

 private:
  absl::Status LoadRequirements(db::Transaction& tx, TrainingPlan& plan, int version) const;
  absl::Status LoadContent(db::Transaction& tx, TrainingPlan& plan, int version) const;
};

}  // namespace lms::enrollment
