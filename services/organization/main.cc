// lms-organization-server: the organisation tree and members on their own.
#include "services/organization/organization_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(
      argc, argv, "lms-organization-server: serves lms.v1.OrganizationService",
      {{"organization", &lms::organization::OrganizationModule::Create}});
}
