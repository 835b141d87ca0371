#include "services/organization/organization_module.h"

namespace lms::organization {

OrganizationModule::OrganizationModule(server::ServerRuntime& runtime)
    : organizations_(runtime.pool(), runtime.clock()),
      members_(runtime.pool(), runtime.clock(), runtime.revocations()),
      importer_(runtime.pool(), runtime.clock(), runtime.scope_checker(), runtime.revocations()),
      handler_(organizations_, members_, importer_, runtime.runner()),
      rpcs_("lms.v1.OrganizationService", runtime.runner()) {
  handler_.Bind(rpcs_);
}

}  // namespace lms::organization
