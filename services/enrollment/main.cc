// lms-enrollment-server: annual training plans and enrolments on their own.
#include "services/enrollment/enrollment_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-enrollment-server: serves lms.v1.EnrollmentService",
                                    {{"enrollment", &lms::enrollment::EnrollmentModule::Create}});
}
