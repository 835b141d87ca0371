#include "services/assessment/assessment_references.h"

#include "common/status/status_macros.h"

namespace lms::assessment {
namespace {

constexpr char kCourse[] = "SELECT state, content_category, title FROM course WHERE id = ?";
constexpr char kPlan[] = "SELECT organization_id, state FROM training_plan WHERE id = ?";
constexpr char kAncestor[] =
    "SELECT 1 FROM organization_closure WHERE ancestor_id = ? AND descendant_id = ?";
constexpr char kMemberWithin[] =
    "SELECT 1 FROM member m JOIN organization_closure c ON c.descendant_id = m.organization_id"
    " WHERE m.id = ? AND m.status = 1 AND c.ancestor_id = ?";

}  // namespace

absl::StatusOr<std::optional<CourseFacts>> AssessmentReferences::Course(db::Transaction& tx,
                                                                        int64_t course_id) const {
  std::optional<CourseFacts> facts;
  RETURN_IF_ERROR(tx.Query(kCourse, {course_id}, [&](const db::Row& row) {
    facts = CourseFacts{row.Int64(1), static_cast<ContentCategory>(row.Int64(2)), row.String(3)};
  }));
  return facts;
}

absl::StatusOr<std::optional<PlanFacts>> AssessmentReferences::Plan(db::Transaction& tx,
                                                                    int64_t plan_id) const {
  std::optional<PlanFacts> facts;
  RETURN_IF_ERROR(tx.Query(kPlan, {plan_id}, [&](const db::Row& row) {
    facts = PlanFacts{row.Int64(1), row.Int64(2)};
  }));
  return facts;
}

absl::StatusOr<bool> AssessmentReferences::IsAncestorOrSelf(db::Transaction& tx,
                                                            int64_t ancestor_id,
                                                            int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found,
                   tx.QueryInt64(kAncestor, {ancestor_id, organization_id}));
  return found.has_value();
}

absl::StatusOr<bool> AssessmentReferences::ActiveMemberWithin(db::Transaction& tx,
                                                              int64_t organization_id,
                                                              int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found,
                   tx.QueryInt64(kMemberWithin, {member_id, organization_id}));
  return found.has_value();
}

}  // namespace lms::assessment
