// lms-course-server: the course catalogue service on its own.
#include "services/course/course_module.h"
#include "services/server/server_main.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv, "lms-course-server: serves lms.v1.CourseService",
                                    {{"course", &lms::course::CourseModule::Create}});
}
