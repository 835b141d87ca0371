#include "services/organization/organization_module.h"

namespace lms::organization {

OrganizationModule::OrganizationModule(server::ServerRuntime& runtime)
    : organizations_(runtime.pool(), runtime.clock()),
      members_(runtime.pool(), runtime.clock()),
      handler_(organizations_, members_, runtime.runner()) {}

}  // namespace lms::organization
