#include "services/course/course_module.h"

#include "common/log/log.h"

namespace lms::course {

CourseModule::CourseModule(server::ServerRuntime& runtime)
    : catalogue_(runtime.pool(), repository_),
      service_(runtime.pool(), catalogue_, runtime.clock()),
      handler_(service_, runtime.runner()) {
  if (const absl::Status loaded = catalogue_.Refresh(absl::Now() + absl::Seconds(10));
      !loaded.ok()) {
    log::Warn("catalogue_initial_load_failed", {{"error", std::string(loaded.message())}});
  }
  refresher_ = std::make_unique<CatalogueRefresher>(
      catalogue_, runtime.config().catalogue_refresh_interval, absl::Seconds(30));
}

}  // namespace lms::course
