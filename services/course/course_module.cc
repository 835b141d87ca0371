#include "services/course/course_module.h"

#include "common/log/log.h"

namespace lms::course {

CourseModule::CourseModule(server::ServerRuntime& runtime)
    : catalogue_(runtime.pool(), repository_),
      service_(runtime.pool(), catalogue_, runtime.clock()),
      handler_(service_),
      rpcs_("lms.v1.CourseService", runtime.runner()) {
  handler_.Bind(rpcs_);
  if (const absl::Status loaded = catalogue_.Refresh(absl::Now() + absl::Seconds(10));
      !loaded.ok()) {
    log::Warn("catalogue_initial_load_failed", {{"error", std::string(loaded.message())}});
  }
  next_counts_ = absl::Now() + counts_interval_;
  refresh_ = std::make_unique<sched::PeriodicTask>("catalogue_refresh",
                                                   CatalogueRefreshIntervalFromFlags(),
                                                   [this] { return RefreshCatalogue(); });
}

absl::Status CourseModule::RefreshCatalogue() {
  if (absl::Status refreshed = catalogue_.Refresh(absl::Now() + absl::Seconds(10));
      !refreshed.ok()) {
    return refreshed;
  }
  if (absl::Now() < next_counts_) return absl::OkStatus();
  next_counts_ = absl::Now() + counts_interval_;
  return catalogue_.RefreshLearnerCounts(absl::Now() + absl::Seconds(10));
}

}  // namespace lms::course
