#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/categories.h"
#include "services/enrollment/plan_requirements.h"

namespace lms::enrollment {

// Forms of training (the plan's 形式); numbers equal lms.v1.TrainingForm.
enum class TrainingForm : int {
  kUnspecified = 0,
  kSelfStudy = 1,
  kConcentrated = 2,
  kBranchLife = 3,
  kPartyLecture = 4,
  kExpertLecture = 5,
  kVisit = 6,
};
inline constexpr int kMaxTrainingForm = 6;

enum class PlanState : int { kUnspecified = 0, kDraft = 1, kPublished = 2, kClosed = 3 };

// A dated item of the plan's schedule (日程).
struct ScheduleItem {
  absl::CivilDay date;
  std::string title;
  TrainingForm form = TrainingForm::kUnspecified;
  ContentCategory content_category = ContentCategory::kUnspecified;
};

// How far a plan's publication has got (lms.v1.PlanAssignment.State numbers).
enum class AssignmentState : int { kUnspecified = 0, kNotStarted = 1, kAssigning = 2, kDone = 3 };

struct PlanAssignment {
  AssignmentState state = AssignmentState::kNotStarted;
  int64_t members_targeted = 0;
  int64_t members_assigned = 0;
  int64_t enrollments_created = 0;
  // InfinitePast when not yet.
  absl::Time start_time = absl::InfinitePast();
  absl::Time finish_time = absl::InfinitePast();
  // The last member id done (members are assigned in id order).
  int64_t cursor = 0;
};

// One published version of a plan: when it took effect, who changed it and why.
struct PlanVersionInfo {
  int published_version = 0;
  std::optional<absl::CivilDay> effective_date;
  std::string change_reason;
  int64_t changed_by = 0;
  absl::Time change_time = absl::InfinitePast();
};

// An annual training plan: one per organisation and year, covering its subtree.
struct TrainingPlan {
  int64_t id = 0;
  int64_t organization_id = 0;
  int year = 0;
  std::string title;
  std::string goals;
  // The period it runs; the whole year when unset.
  std::optional<absl::CivilDay> start_date;
  std::optional<absl::CivilDay> end_date;
  std::vector<TrainingForm> forms;
  std::vector<CategoryRequirement> requirements;
  std::vector<ScheduleItem> schedule;
  PlanState state = PlanState::kUnspecified;
  int64_t version = 0;
  int published_version = 0;
  PlanAssignment assignment;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  absl::Time publish_time = absl::InfinitePast();
  absl::Time close_time = absl::InfinitePast();
};

}  // namespace lms::enrollment
