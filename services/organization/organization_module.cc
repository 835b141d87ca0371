#include "services/organization/organization_module.h"

namespace lms::organization {

OrganizationModule::OrganizationModule(server::ServerRuntime& runtime)
    : organizations_(runtime.pool(), runtime.clock()),
      members_(runtime.pool(), runtime.clock()),
      importer_(runtime.pool(), runtime.clock(), runtime.scope_checker()),
      handler_(organizations_, members_, importer_, runtime.runner()) {}

}  // namespace lms::organization
