// lms-server: every implemented service in one process, for small sites and development.
#include "services/course/course_module.h"
#include "services/identity/identity_module.h"
#include "services/organization/organization_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(
      argc, argv, "lms-server: all lms.v1 services in one process",
      [](lms::server::ServerRuntime& runtime, lms::server::ServerHost& host) -> absl::Status {
        host.Add(std::make_unique<lms::course::CourseModule>(runtime));
        host.Add(std::make_unique<lms::organization::OrganizationModule>(runtime));
        auto identity = lms::identity::IdentityModule::Create(runtime);
        if (!identity.ok()) return identity.status();
        host.Add(*std::move(identity));
        return absl::OkStatus();
      });
}
