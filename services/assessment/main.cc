// lms-assessment-server: question banks, papers and attempts on their own.
#include "services/assessment/assessment_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-assessment-server: serves lms.v1.AssessmentService",
                                    {{"assessment", &lms::assessment::AssessmentModule::Create}});
}
