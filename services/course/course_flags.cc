#include "absl/flags/flag.h"
#include "services/course/course_module.h"

ABSL_FLAG(absl::Duration, catalogue_refresh, absl::Milliseconds(250),
          "how often to pick up catalogue changes made by other processes");

namespace lms::course {

absl::Duration CatalogueRefreshIntervalFromFlags() {
  return absl::GetFlag(FLAGS_catalogue_refresh);
}

}  // namespace lms::course
