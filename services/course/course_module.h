#pragma once

#include <memory>

#include "services/course/catalogue.h"
#include "services/course/catalogue_refresher.h"
#include "services/course/course_handler.h"
#include "services/course/course_repository.h"
#include "services/course/course_service.h"
#include "services/server/server_host.h"

namespace lms::course {

// The course service's object graph inside a server: catalogue, its refresher, service
// and handler. Loads the catalogue at once when the database answers; otherwise the
// refresher keeps trying and reads answer UNAVAILABLE until it succeeds.
class CourseModule final : public server::ServiceModule {
 public:
  explicit CourseModule(server::ServerRuntime& runtime);
  grpc::Service* grpc_service() override { return &handler_; }

 private:
  const CourseRepository repository_{};
  Catalogue catalogue_;
  CourseService service_;
  CourseHandler handler_;
  std::unique_ptr<CatalogueRefresher> refresher_;
};

}  // namespace lms::course
