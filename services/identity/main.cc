// lms-identity-server: sign-in, sessions and kiosks on their own.
#include "services/identity/identity_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(
      argc, argv, "lms-identity-server: serves lms.v1.IdentityService",
      [](lms::server::ServerRuntime& runtime, lms::server::ServerHost& host) -> absl::Status {
        auto identity = lms::identity::IdentityModule::Create(runtime);
        if (!identity.ok()) return identity.status();
        host.Add(*std::move(identity));
        return absl::OkStatus();
      });
}
