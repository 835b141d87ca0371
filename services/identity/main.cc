// lms-identity-server: sign-in, sessions and kiosks on their own.
#include "services/identity/identity_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-identity-server: serves lms.v1.IdentityService",
                                    {{"identity", &lms::identity::IdentityModule::Create}});
}
