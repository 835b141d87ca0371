#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/course/course.h"

namespace lms::course {

// SQL for the catalogue tables (course, course_tag, lesson, catalogue_state).
// Stateless and thread-safe; every method runs inside the caller's transaction.
class CourseRepository {
 public:
  // Bumps the catalogue generation and returns it. Call last in a write transaction: the
  // row lock it takes orders generations by commit and is held only until COMMIT.
  [[nodiscard]] absl::StatusOr<int64_t> NextGeneration(db::Transaction& tx) const;
  [[nodiscard]] absl::StatusOr<int64_t> CurrentGeneration(db::Transaction& tx) const;

  // Inserts a draft with tags and lessons; returns its id.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Course& course,
                                               int64_t created_by, absl::Time now) const;
  // Replaces editable fields, tags and lessons; bumps the version.
  [[nodiscard]] absl::Status Update(db::Transaction& tx, const Course& course,
                                    absl::Time now) const;
  // Moves to `state` and bumps the version; sets publish_time on first publication.
  [[nodiscard]] absl::Status SetState(db::Transaction& tx, int64_t id, CourseState state,
                                      absl::Time now) const;
  // Stamps the course with the generation of this transaction's change.
  [[nodiscard]] absl::Status SetChangeSeq(db::Transaction& tx, int64_t id,
                                          int64_t generation) const;

  // The course with tags and lesson metadata (no bodies), locking its row when
  // `for_update`. NOT_FOUND if absent.
  [[nodiscard]] absl::StatusOr<Course> Find(db::Transaction& tx, int64_t id, bool for_update) const;
  // The kinds of the course's current (not removed) lessons, by id.
  [[nodiscard]] absl::StatusOr<absl::flat_hash_map<int64_t, LessonKind>> LessonKinds(
      db::Transaction& tx, int64_t course_id) const;

  // Every course changed after `generation`, with tags and lessons, read from one
  // consistent snapshot. Starts its own REPEATABLE READ transaction: call first in `tx`.
  [[nodiscard]] absl::StatusOr<std::vector<Course>> ChangedSince(db::Transaction& tx,
                                                                 int64_t generation) const;
  // The learner counts of all courses, id -> count.
  [[nodiscard]] absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> LearnerCounts(
      db::Transaction& tx) const;

  // A lesson with its body and its course's state and version; NOT_FOUND if absent or
  // removed.
  [[nodiscard]] absl::StatusOr<LessonContent> FindLessonContent(db::Transaction& tx,
                                                                int64_t lesson_id) const;

 private:
  absl::Status ReplaceTags(db::Transaction& tx, const Course& course) const;
  absl::Status ReplaceLessons(db::Transaction& tx, const Course& course) const;
};

}  // namespace lms::course
