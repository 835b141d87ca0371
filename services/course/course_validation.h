#pragma once

#include "absl/status/status.h"
#include "services/course/course.h"

namespace lms::course {

// Whether the editable fields of `course` meet the contract: every violation is named in
// one INVALID_ARGUMENT (fields as in proto: `course.lessons[2].video.url`).
// `for_create` additionally requires lesson ids to be 0.
[[nodiscard]] absl::Status ValidateCourse(const Course& course, bool for_create);

}  // namespace lms::course
