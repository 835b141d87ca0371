#include "services/enrollment/member_reconciler.h"

#include <set>
#include <tuple>

#include "common/outbox/outbox.h"
#include "common/status/status_macros.h"
#include "services/enrollment/plan_reasons.h"

namespace lms::enrollment {
namespace {

// lms.v1.MemberStatus: left the organisation tree altogether.
constexpr int kMemberTransferredOut = 2;
constexpr char kLeftSubtree[] = "transferred out of the organisation that required it";
constexpr char kNoLongerRequired[] = "no longer required of the member's categories";
constexpr char kNotActive[] = "the member is no longer active";

using ReasonKey = std::tuple<int64_t, int, int64_t, int>;  // course, kind, plan, category

ReasonKey KeyOf(const EnrollmentReason& r) {
  return {r.course_id, static_cast<int>(r.kind), r.plan_id, static_cast<int>(r.category)};
}

}  // namespace

absl::Status MemberReconciler::Handle(db::Transaction& tx,
                                      const std::vector<outbox::DeliveredEvent>& events,
                                      absl::Time now, absl::CivilDay today) const {
  std::set<int64_t> named;
  for (const outbox::DeliveredEvent& event : events) {
    if (event.topic == outbox::kOrganizationMoved) {
      ASSIGN_OR_RETURN(const std::vector<int64_t> moved,
                       members_.ActiveIdsInSubtree(tx, event.organization_id));
      named.insert(moved.begin(), moved.end());
    } else if (event.member_id != 0) {
      named.insert(event.member_id);
    }
  }
  const std::vector<int64_t> ids(named.begin(), named.end());
  ASSIGN_OR_RETURN(const std::vector<Enrollee> members, members_.FindMany(tx, ids));
  ASSIGN_OR_RETURN(const std::vector<EnrollmentReason> reasons,
                   enrollments_.OpenRequirementReasons(tx, ids));
  std::map<int64_t, std::vector<EnrollmentReason>> by_member;
  for (const EnrollmentReason& reason : reasons) by_member[reason.member_id].push_back(reason);
  std::set<int64_t> organizations;
  for (const Enrollee& member : members) organizations.insert(member.organization_id);
  ASSIGN_OR_RETURN(const Covering covering,
                   plans_.CoveringMany(tx, {organizations.begin(), organizations.end()},
                                       static_cast<int>(today.year())));
  Changes changes;
  for (const Enrollee& member : members) {
    RETURN_IF_ERROR(Plan(tx, member, by_member[member.id], covering, changes));
  }
  RETURN_IF_ERROR(enrollments_.OpenReasons(tx, changes.to_open, now).status());
  RETURN_IF_ERROR(enrollments_.EndReasons(tx, changes.left_subtree,
                                          EnrollmentState::kTransferredOut, kLeftSubtree, 0, now));
  RETURN_IF_ERROR(enrollments_.EndReasons(tx, changes.not_required, EnrollmentState::kWithdrawn,
                                          kNoLongerRequired, 0, now));
  return enrollments_.EndReasons(tx, changes.inactive, EnrollmentState::kWithdrawn, kNotActive, 0,
                                 now);
}

absl::Status MemberReconciler::Plan(db::Transaction& tx, const Enrollee& member,
                                    const std::vector<EnrollmentReason>& current,
                                    const Covering& covering, Changes& changes) const {
  std::vector<EnrollmentReason> desired;
  if (member.active()) {
    const auto plans = covering.find(member.organization_id);
    if (plans != covering.end()) {
      for (const PlanRequirements& plan : plans->second) {
        std::vector<EnrollmentReason> own = PlanReasonsFor(plan, member.id, member.category_mask);
        desired.insert(desired.end(), own.begin(), own.end());
      }
    }
  }
  std::map<ReasonKey, const EnrollmentReason*> open;
  for (const EnrollmentReason& r : current) open[KeyOf(r)] = &r;
  std::set<ReasonKey> wanted;
  for (const EnrollmentReason& r : desired) {
    wanted.insert(KeyOf(r));
    const auto found = open.find(KeyOf(r));
    if (found == open.end() || found->second->due_date != r.due_date) {
      changes.to_open.push_back(r);
    }
  }
  for (const EnrollmentReason& r : current) {
    if (r.kind == ReasonKind::kPlan) {
      if (wanted.count(KeyOf(r)) > 0) continue;
      ASSIGN_OR_RETURN(const std::optional<PlanState> state, plans_.StateOf(tx, r.plan_id));
      if (state == PlanState::kClosed) continue;  // history
    }
    ASSIGN_OR_RETURN(const bool inside,
                     members_.InSubtree(tx, r.organization_id, member.organization_id));
    if (!inside || member.status == kMemberTransferredOut) {
      changes.left_subtree.push_back(r);
    } else if (!member.active()) {
      changes.inactive.push_back(r);
    } else if (r.kind == ReasonKind::kPlan) {
      changes.not_required.push_back(r);
    }
  }
  return absl::OkStatus();
}

}  // namespace lms::enrollment
