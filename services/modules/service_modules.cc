#include "services/modules/service_modules.h"

#include "services/activity/activity_module.h"
#include "services/assessment/assessment_module.h"
#include "services/course/course_module.h"
#include "services/enrollment/enrollment_module.h"
#include "services/identity/identity_module.h"
#include "services/organization/organization_module.h"
#include "services/progress/progress_module.h"
#include "services/settings/settings_module.h"
#include "services/statistics/statistics_module.h"

namespace lms::modules {

const std::vector<server::ModuleEntry>& AllModules() {
  static const auto* const kModules = new std::vector<server::ModuleEntry>{
      {"course", &course::CourseModule::Create},
      {"organization", &organization::OrganizationModule::Create},
      {"identity", &identity::IdentityModule::Create},
      {"settings", &settings::SettingsModule::Create},
      {"enrollment", &enrollment::EnrollmentModule::Create},
      {"progress", &progress::ProgressModule::Create},
      {"activity", &activity::ActivityModule::Create},
      {"assessment", &assessment::AssessmentModule::Create},
      {"statistics", &statistics::StatisticsModule::Create},
  };
  return *kModules;
}

const server::ModuleEntry* FindModule(absl::string_view name) {
  for (const server::ModuleEntry& entry : AllModules()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace lms::modules
