#pragma once

#include <cstdint>
#include <string>

#include "common/domain/categories.h"
#include "services/course/course.h"

namespace lms::progress {

// What progress needs to know of a lesson and its course, read from the catalogue.
struct LessonFacts {
  int64_t lesson_id = 0;
  int64_t course_id = 0;
  std::string title;
  course::LessonKind kind = course::LessonKind::kUnspecified;
  int32_t duration_seconds = 0;
  int32_t page_count = 0;
  // Characters of an article's text.
  int32_t article_length = 0;
  // Taken out of its course: progress on it is refused.
  bool removed = false;

  course::CourseState course_state = course::CourseState::kUnspecified;
  std::string course_title;
  int64_t course_hours_centi = 0;
  ContentCategory content_category = ContentCategory::kUnspecified;
  // Bit (1 << category) per MemberCategory; 0 means everyone.
  int64_t audience_mask = 0;
};

}  // namespace lms::progress
