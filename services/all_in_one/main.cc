// lms-server: every implemented service in one process, for small sites and development.
#include "services/modules/service_modules.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv, "lms-server: all lms.v1 services in one process",
                                    lms::modules::AllModules());
}
