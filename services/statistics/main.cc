// lms-statistics-server: statistics for admins and inspections on their own.
#include "services/server/server_main.h"
#include "services/statistics/statistics_module.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-statistics-server: serves lms.v1.StatisticsService",
                                    {{"statistics", &lms::statistics::StatisticsModule::Create}});
}
