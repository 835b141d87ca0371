#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lms/v1/enrollment.grpc.pb.h"

namespace lms::admin {

struct PublishPlanOptions {
  int64_t plan_id = 0;
  // Return once published, without waiting for the members to be enrolled.
  bool no_wait = false;
  // How often to look at the assignment's progress.
  absl::Duration poll_interval = absl::Milliseconds(500);
  bool show_progress = false;
};

// Publishes a plan (the version it has now; publishing a published plan just follows its
// assignment) and, unless `no_wait`, follows the background assignment to its end with a
// progress bar of members assigned out of members targeted. Returns the plan as it ended.
[[nodiscard]] absl::StatusOr<v1::TrainingPlan> RunPublishPlan(v1::EnrollmentService::Stub& stub,
                                                              const std::string& access_token,
                                                              const PublishPlanOptions& options,
                                                              std::ostream& progress);

}  // namespace lms::admin
