#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

struct CourseFigures {
  int64_t course_id = 0;
  std::string title;
  int64_t enrolled = 0;
  int64_t started = 0;
  int64_t completed = 0;
  // From enrolment to completion, over those completed, in tenths of a day.
  int64_t average_tenths_of_days_to_complete = 0;
  // The lesson most members who started but did not finish studied last; 0: none.
  int64_t drop_off_lesson_id = 0;
  std::string drop_off_lesson_title;
  int64_t stopped_at_drop_off = 0;
};

// Per course enrolled by any of `member_ids` (a subtree's members as of `day`) by the end
// of `day` (withdrawn enrolments left out; with `plan_id`, only enrolments that plan gave):
// enrolled, started (progress by then, received by `received_by`, or completed), completed
// by then, the average time to complete, and the drop-off lesson. Most enrolled first,
// then course id. Titles are filled in by CourseTitles for the rows shown.
[[nodiscard]] absl::StatusOr<std::vector<CourseFigures>> CoursesTaken(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, absl::CivilDay day,
    absl::Time received_by, int64_t plan_id);

// The first line of the courses' canonical text (figures hash), then one CourseLine each.
inline constexpr char kCoursesCanonicalTag[] = "lms-courses-v1";
[[nodiscard]] std::string CourseLine(const CourseFigures& course);

// Fills in the course and drop-off lesson titles of `courses`.
[[nodiscard]] absl::Status CourseTitles(db::Transaction& tx, std::vector<CourseFigures>& courses);

}  // namespace lms::statistics
