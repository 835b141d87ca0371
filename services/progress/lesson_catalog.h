#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/progress/lesson_facts.h"

namespace lms::progress {

// Reads lessons and their courses from the catalogue tables (owned by the course
// service; read here in the same store). Stateless; thread-safe.
class LessonCatalog {
 public:
  // The lessons among `lesson_ids` that exist (removed ones included, marked), by id.
  [[nodiscard]] absl::StatusOr<std::map<int64_t, LessonFacts>> Lessons(
      db::Transaction& tx, const std::vector<int64_t>& lesson_ids) const;
  // A course's current lessons in course order (none for an unknown course: ask Course).
  [[nodiscard]] absl::StatusOr<std::vector<LessonFacts>> CourseLessons(db::Transaction& tx,
                                                                       int64_t course_id) const;
  // The course row alone (lessons empty): nullopt when it does not exist.
  [[nodiscard]] absl::StatusOr<std::optional<LessonFacts>> Course(db::Transaction& tx,
                                                                  int64_t course_id) const;
};

}  // namespace lms::progress
