#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/course/catalogue.h"
#include "services/course/course.h"
#include "services/course/course_repository.h"

namespace lms::course {

// GetCourse's answer: the course, or just "your version is current".
struct CourseLookup {
  bool not_modified = false;
  int64_t version = 0;
  CoursePtr course;
};

// ListCourses input as received (validated here).
struct ListCoursesInput {
  int page_size = 0;
  std::string page_token;
  int content_category = 0;
  int audience = 0;
  std::string tag;
  std::string query;
  int order = 0;
  int state = 0;
};

struct CourseListPage {
  std::vector<CoursePtr> courses;
  std::string next_page_token;
};

// The course catalogue's rules and workflow: validation, lifecycle, versions,
// idempotent writes, visibility by role. Reads come from the in-memory Catalogue;
// writes go through one database transaction each and then patch the catalogue.
// Knows neither protos nor SQL. Thread-safe.
class CourseService {
 public:
  CourseService(db::ConnectionPool& pool, Catalogue& catalogue, const Clock& clock)
      : pool_(pool), catalogue_(catalogue), clock_(clock) {}

  [[nodiscard]] absl::StatusOr<Course> CreateCourse(const call::CallContext& call,
                                                    const Course& draft) const;
  [[nodiscard]] absl::StatusOr<Course> UpdateCourse(const call::CallContext& call,
                                                    const Course& edited,
                                                    int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Course> PublishCourse(const call::CallContext& call, int64_t id,
                                                     int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Course> ArchiveCourse(const call::CallContext& call, int64_t id,
                                                     int64_t expected_version) const;

  [[nodiscard]] absl::StatusOr<CourseLookup> GetCourse(const auth::Caller& caller, int64_t id,
                                                       int64_t known_version) const;
  [[nodiscard]] absl::StatusOr<CourseListPage> ListCourses(const auth::Caller& caller,
                                                           const ListCoursesInput& input) const;
  [[nodiscard]] absl::StatusOr<LessonContent> GetLessonContent(const call::CallContext& call,
                                                               int64_t lesson_id) const;
  [[nodiscard]] absl::StatusOr<CatalogueChanges> ListCatalogueChanges(const auth::Caller& caller,
                                                                      int64_t since_generation,
                                                                      int page_size) const;

 private:
  // Runs `mutate` (which returns the course id) on the write path (call::RunIdempotentWrite),
  // stamps the catalogue generation, reloads the course, commits and patches the
  // catalogue. A retried request id returns the course as it is now.
  template <typename Mutate>
  absl::StatusOr<Course> Write(const call::CallContext& call, Mutate&& mutate) const;
  // Lesson ids must belong to the course; a body may be omitted only for an article.
  absl::Status CheckLessonIds(db::Transaction& tx, const Course& edited) const;
  absl::StatusOr<Course> ChangeState(const call::CallContext& call, int64_t id,
                                     int64_t expected_version, CourseState from,
                                     CourseState to) const;

  db::ConnectionPool& pool_;
  Catalogue& catalogue_;
  const Clock& clock_;
  const CourseRepository courses_{};
};

}  // namespace lms::course
