#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "common/domain/categories.h"

namespace lms::assessment {

struct CourseFacts {
  // lms.v1.CourseState.
  int64_t state = 0;
  ContentCategory content_category = ContentCategory::kUnspecified;
  std::string title;
};

struct PlanFacts {
  int64_t organization_id = 0;
  // lms.v1.PlanState.
  int64_t state = 0;
};

inline constexpr int64_t kPlanPublished = 2;

// The other services' objects papers refer to (courses, plans, members), read in the
// caller's transaction. Stateless; thread-safe.
class AssessmentReferences {
 public:
  [[nodiscard]] absl::StatusOr<std::optional<CourseFacts>> Course(db::Transaction& tx,
                                                                  int64_t course_id) const;
  [[nodiscard]] absl::StatusOr<std::optional<PlanFacts>> Plan(db::Transaction& tx,
                                                              int64_t plan_id) const;
  // Whether `ancestor_id` is `organization_id` or above it.
  [[nodiscard]] absl::StatusOr<bool> IsAncestorOrSelf(db::Transaction& tx, int64_t ancestor_id,
                                                      int64_t organization_id) const;
  // Whether a member is active and in the subtree of `organization_id` (a plan's members).
  [[nodiscard]] absl::StatusOr<bool> ActiveMemberWithin(db::Transaction& tx,
                                                        int64_t organization_id,
                                                        int64_t member_id) const;
};

}  // namespace lms::assessment
