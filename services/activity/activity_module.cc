#include "services/activity/activity_module.h"

#include "absl/time/time.h"

namespace lms::activity {

ActivityModule::ActivityModule(server::ServerRuntime& runtime)
    : activity_service_(runtime.pool(), runtime.clock(), activities_),
      attendance_service_(runtime.pool(), runtime.clock(), activities_, activity_service_, credits_,
                          members_),
      seats_(runtime.pool(), runtime.clock(), activities_, seat_rows_),
      rules_(runtime.pool(), runtime.clock()),
      evidence_(runtime.token_keys().public_key, offline_),
      kiosk_sync_(runtime.pool(), runtime.clock(), rules_, activities_, credits_, evidence_,
                  offline_, runtime.scope_checker()),
      life_(runtime.pool(), runtime.clock(), activities_),
      handler_(runtime.clock(), activity_service_, attendance_service_, seats_, kiosk_sync_, life_),
      rpcs_("lms.v1.ActivityService", runtime.runner()),
      makeup_(runtime.pool(), runtime.clock(), activities_, credits_) {
  runtime.mutable_scope_checker().RegisterObjectKind(
      "activity",
      [this](db::Transaction& tx, int64_t id,
             bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
        absl::StatusOr<std::optional<int64_t>> organization =
            activities_.OrganizationOf(tx, id, lock);
        if (!organization.ok()) return organization.status();
        if (!organization->has_value()) return std::nullopt;
        return auth::ObjectOwner{auth::ScopeKind::kOrganization, **organization};
      });
  handler_.Bind(rpcs_);
  makeup_task_ = std::make_unique<sched::PeriodicTask>("activity_makeup", absl::Minutes(1), [this] {
    return makeup_.RunOnce(absl::Now() + absl::Seconds(30)).status();
  });
}

}  // namespace lms::activity
