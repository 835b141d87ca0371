// lms-activity-server: collective activities and attendance on their own.
#include "services/activity/activity_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-activity-server: serves lms.v1.ActivityService",
                                    {{"activity", &lms::activity::ActivityModule::Create}});
}
