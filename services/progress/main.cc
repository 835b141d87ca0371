// lms-progress-server: progress, completion and the study-hours ledger on their own.
#include "services/progress/progress_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-progress-server: serves lms.v1.ProgressService",
                                    {{"progress", &lms::progress::ProgressModule::Create}});
}
