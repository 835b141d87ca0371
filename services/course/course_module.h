#pragma once

#include <memory>
#include <vector>

#include "common/sched/periodic_task.h"
#include "services/course/catalogue.h"
#include "services/course/course_handler.h"
#include "services/course/course_repository.h"
#include "services/course/course_service.h"
#include "services/server/service_module.h"

namespace lms::course {

// The course service's object graph inside a server: catalogue, its refresh task, service
// and handler. Loads the catalogue at once when the database answers; otherwise the
// refresh task keeps trying and reads answer UNAVAILABLE until it succeeds.
class CourseModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<CourseModule>(runtime);
  }
  explicit CourseModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override { return {refresh_.get()}; }

 private:
  // Loads what other processes changed, and every `counts_interval` the learner counts.
  absl::Status RefreshCatalogue();

  const CourseRepository repository_{};
  Catalogue catalogue_;
  CourseService service_;
  CourseHandler handler_;
  grpc_util::RpcService rpcs_;
  const absl::Duration counts_interval_ = absl::Seconds(30);
  absl::Time next_counts_ = absl::InfinitePast();  // only the task's ticks touch it
  std::unique_ptr<sched::PeriodicTask> refresh_;
};

// --catalogue_refresh (course_flags.cc).
[[nodiscard]] absl::Duration CatalogueRefreshIntervalFromFlags();

}  // namespace lms::course
