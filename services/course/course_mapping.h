#pragma once

#include "lms/v1/course.pb.h"
#include "services/course/course.h"

namespace lms::course {

// Proto <-> domain for the course service; the handler's only translation layer.
// Enum numbers are copied as they are: validation rejects unknown values with a clear
// INVALID_ARGUMENT instead of a silent default.
[[nodiscard]] Course CourseFromProto(const v1::Course& proto);
void ToProto(const Course& course, v1::Course* proto);
void ToSummaryProto(const Course& course, v1::CourseSummary* proto);
void ToProto(const LessonContent& content, v1::LessonContent* proto);

}  // namespace lms::course
