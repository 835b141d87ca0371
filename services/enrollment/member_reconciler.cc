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
  CoveringCache cache;
  std::set<int64_t> members;
  for (const outbox::DeliveredEvent& event : events) {
    if (event.topic == outbox::kOrganizationMoved) {
      ASSIGN_OR_RETURN(const std::vector<int64_t> moved,
                       members_.ActiveIdsInSubtree(tx, event.organization_id));
      members.insert(moved.begin(), moved.end());
    } else if (event.member_id != 0) {
      members.insert(event.member_id);
    }
  }
  for (const int64_t member_id : members) {
    RETURN_IF_ERROR(Reconcile(tx, member_id, now, today, cache));
  }
  return absl::OkStatus();
}

absl::Status MemberReconciler::Reconcile(db::Transaction& tx, int64_t member_id, absl::Time now,
                                         absl::CivilDay today, CoveringCache& cache) const {
  ASSIGN_OR_RETURN(const std::optional<Enrollee> member, members_.Find(tx, member_id));
  if (!member.has_value()) return absl::OkStatus();

  std::vector<EnrollmentReason> desired;
  if (member->active()) {
    auto cached = cache.find(member->organization_id);
    if (cached == cache.end()) {
      ASSIGN_OR_RETURN(
          std::vector<PlanRequirements> covering,
          plans_.Covering(tx, member->organization_id, static_cast<int>(today.year())));
      cached = cache.emplace(member->organization_id, std::move(covering)).first;
    }
    for (const PlanRequirements& plan : cached->second) {
      std::vector<EnrollmentReason> own = PlanReasonsFor(plan, member->id, member->category_mask);
      desired.insert(desired.end(), own.begin(), own.end());
    }
  }
  ASSIGN_OR_RETURN(const std::vector<EnrollmentReason> current,
                   enrollments_.OpenRequirementReasons(tx, member->id));

  std::map<ReasonKey, const EnrollmentReason*> open;
  for (const EnrollmentReason& r : current) open[KeyOf(r)] = &r;
  std::vector<EnrollmentReason> to_open;
  std::set<ReasonKey> wanted;
  for (const EnrollmentReason& r : desired) {
    wanted.insert(KeyOf(r));
    const auto found = open.find(KeyOf(r));
    if (found == open.end() || found->second->due_date != r.due_date) to_open.push_back(r);
  }
  std::vector<EnrollmentReason> left_subtree;
  std::vector<EnrollmentReason> not_required;
  for (const EnrollmentReason& r : current) {
    if (r.kind == ReasonKind::kPlan) {
      if (wanted.count(KeyOf(r)) > 0) continue;
      ASSIGN_OR_RETURN(const std::optional<PlanState> state, plans_.StateOf(tx, r.plan_id));
      if (state == PlanState::kClosed) continue;  // history
    }
    ASSIGN_OR_RETURN(const bool inside,
                     members_.InSubtree(tx, r.organization_id, member->organization_id));
    if (r.kind == ReasonKind::kAssigned && inside && member->active()) continue;
    const bool left = !inside || member->status == kMemberTransferredOut;
    (left ? left_subtree : not_required).push_back(r);
  }
  RETURN_IF_ERROR(enrollments_.OpenReasons(tx, to_open, now).status());
  RETURN_IF_ERROR(enrollments_.EndReasons(tx, left_subtree, EnrollmentState::kTransferredOut,
                                          kLeftSubtree, 0, now));
  return enrollments_.EndReasons(tx, not_required, EnrollmentState::kWithdrawn,
                                 member->active() ? kNoLongerRequired : kNotActive, 0, now);
}

}  // namespace lms::enrollment
