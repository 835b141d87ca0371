#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/categories.h"
#include "services/enrollment/learning_order.h"

namespace lms::enrollment {

// Why a member is enrolled (numbers equal lms.v1.EnrollmentReason.Kind).
enum class ReasonKind : int { kUnspecified = 0, kPlan = 1, kAssigned = 2, kElective = 3 };

// One reason for one member in one course. Plan reasons are unique per plan and category;
// an admin assignment and an elective once each.
struct EnrollmentReason {
  int64_t member_id = 0;
  int64_t course_id = 0;
  ReasonKind kind = ReasonKind::kUnspecified;
  // kPlan: the plan and the category it requires the course of.
  int64_t plan_id = 0;
  MemberCategory category = MemberCategory::kUnspecified;
  // The subtree the reason holds within: the plan's organisation, the assignment's
  // subtree; 0 (anywhere) for an elective.
  int64_t organization_id = 0;
  // kAssigned: the admin.
  int64_t assigned_by = 0;
  std::optional<absl::CivilDay> due_date;
  absl::Time since = absl::InfinitePast();
  // Whether a plan or an admin requires it (not a member's own choice).
  [[nodiscard]] bool requires_it() const { return kind != ReasonKind::kElective; }
};

// A member in a course. `required` and `due_date` summarise the open reasons.
struct Enrollment {
  int64_t id = 0;
  int64_t member_id = 0;
  int64_t course_id = 0;
  bool required = false;
  std::optional<absl::CivilDay> due_date;
  // Open reasons, earliest due date first.
  std::vector<EnrollmentReason> reasons;
  // As stored: kNotStarted while open, or withdrawn, transferred out, waived.
  EnrollmentState state = EnrollmentState::kNotStarted;
  std::string state_reason;
  int64_t state_changed_by = 0;
  absl::Time state_change_time = absl::InfinitePast();
  absl::Time enroll_time = absl::InfinitePast();
};

// Whether an enrolment in this stored state counts as open (owed or being studied).
[[nodiscard]] inline bool IsOpen(EnrollmentState state) {
  return state == EnrollmentState::kNotStarted || state == EnrollmentState::kInProgress;
}

}  // namespace lms::enrollment
