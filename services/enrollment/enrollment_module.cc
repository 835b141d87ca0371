#include "services/enrollment/enrollment_module.h"

#include "common/time/china_time.h"

namespace lms::enrollment {
namespace {

// How often the background tasks look for work; a publication or a member change shows
// in enrolments within about this long.
constexpr absl::Duration kTaskInterval = absl::Seconds(1);
// How long one tick of the assignment task works before yielding to the next tick.
constexpr absl::Duration kAssignmentBudget = absl::Seconds(60);

}  // namespace

EnrollmentModule::EnrollmentModule(server::ServerRuntime& runtime)
    : plan_service_(runtime.pool(), runtime.clock(), plans_, enrollments_, members_),
      enrollment_service_(runtime.pool(), runtime.clock(), plans_, enrollments_, members_),
      assigner_(runtime.pool(), runtime.clock(), plans_, enrollments_, members_),
      reconciler_(plans_, enrollments_, members_),
      consumer_(
          runtime.pool(), runtime.clock(), "enrollment",
          [this, &runtime](db::Transaction& tx, const std::vector<outbox::DeliveredEvent>& events) {
            const absl::Time now = runtime.clock().Now();
            return reconciler_.Handle(tx, events, now, TodayInChina(now));
          }),
      handler_(plan_service_, enrollment_service_),
      rpcs_("lms.v1.EnrollmentService", runtime.runner()) {
  runtime.mutable_scope_checker().RegisterObjectKind(
      "plan",
      [this](db::Transaction& tx, int64_t id,
             bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
        absl::StatusOr<std::optional<int64_t>> organization = plans_.OrganizationOf(tx, id, lock);
        if (!organization.ok()) return organization.status();
        if (!organization->has_value()) return std::nullopt;
        return auth::ObjectOwner{auth::ScopeKind::kOrganization, **organization};
      });
  runtime.mutable_scope_checker().RegisterObjectKind(
      "enrollment",
      [this](db::Transaction& tx, int64_t id,
             bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
        absl::StatusOr<std::optional<int64_t>> member = enrollments_.MemberOf(tx, id, lock);
        if (!member.ok()) return member.status();
        if (!member->has_value()) return std::nullopt;
        return auth::ObjectOwner{auth::ScopeKind::kMember, **member};
      });
  handler_.Bind(rpcs_);
  assignment_task_ = std::make_unique<sched::PeriodicTask>(
      "plan_assignment", kTaskInterval, [this] { return assigner_.RunPending(kAssignmentBudget); });
  outbox_task_ = std::make_unique<sched::PeriodicTask>("enrollment_outbox", kTaskInterval, [this] {
    return consumer_.RunOnce(absl::Now() + absl::Seconds(30)).status();
  });
}

}  // namespace lms::enrollment
