#include "services/statistics/course_figures.h"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

constexpr char kEnrollments[] =
    "SELECT e.member_id, e.course_id, e.enroll_time FROM enrollment e WHERE e.state <> 5"
    " AND e.enroll_time < ? AND (? = 0 OR EXISTS (SELECT 1 FROM enrollment_reason r WHERE"
    " r.member_id = e.member_id AND r.course_id = e.course_id AND r.plan_id = ?))"
    " AND e.member_id IN (";
constexpr char kCompleted[] =
    "SELECT member_id, course_id, completion_time FROM course_progress WHERE state = 2"
    " AND completion_time < ? AND member_id IN (";
// Each lesson a member studied by then, and when last.
constexpr char kStudied[] =
    "SELECT p.member_id, l.course_id, p.lesson_id, MAX(p.happen_time) FROM progress_event p"
    " JOIN lesson l ON l.id = p.lesson_id WHERE p.happen_time < ? AND p.receive_time <= ?"
    " AND p.member_id IN (";
constexpr char kStudiedSuffix[] = ") GROUP BY p.member_id, l.course_id, p.lesson_id";
constexpr char kCourseTitles[] = "SELECT id, title FROM course WHERE id IN (";
constexpr char kLessonTitles[] = "SELECT id, title FROM lesson WHERE id IN (";

constexpr int64_t kTenthOfDayMicros = int64_t{8640} * 1000 * 1000;

using MemberCourse = std::pair<int64_t, int64_t>;

}  // namespace

absl::StatusOr<std::vector<CourseFigures>> CoursesTaken(db::Transaction& tx,
                                                        const std::vector<int64_t>& member_ids,
                                                        absl::CivilDay day, absl::Time received_by,
                                                        int64_t plan_id) {
  const absl::Time end = EndOfChinaDay(day);
  std::map<MemberCourse, absl::Time> enrolled;
  RETURN_IF_ERROR(db::QueryForIds(tx, kEnrollments, ")", {end, plan_id, plan_id}, member_ids,
                                  [&](const db::Row& row) {
                                    enrolled[{row.Int64(1), row.Int64(2)}] = row.Time(3);
                                  }));
  std::map<MemberCourse, absl::Time> completed;
  RETURN_IF_ERROR(db::QueryForIds(tx, kCompleted, ")", {end}, member_ids, [&](const db::Row& row) {
    completed[{row.Int64(1), row.Int64(2)}] = row.Time(3);
  }));
  // The last lesson each member studied in each course: (time, lesson).
  std::map<MemberCourse, std::pair<absl::Time, int64_t>> last_lesson;
  RETURN_IF_ERROR(db::QueryForIds(
      tx, kStudied, kStudiedSuffix, {end, ReceivedByParam(received_by)}, member_ids,
      [&](const db::Row& row) {
        const MemberCourse key{row.Int64(1), row.Int64(2)};
        const std::pair<absl::Time, int64_t> seen{row.Time(4), row.Int64(3)};
        auto [it, fresh] = last_lesson.emplace(key, seen);
        // The latest; of lessons studied at the same instant, the lower id.
        if (!fresh && (seen.first > it->second.first ||
                       (seen.first == it->second.first && seen.second < it->second.second))) {
          it->second = seen;
        }
      }));

  struct Tally {
    CourseFigures figures;
    int64_t completion_micros = 0;
    std::map<int64_t, int64_t> stopped_at;
  };
  std::map<int64_t, Tally> by_course;
  for (const auto& [key, enroll_time] : enrolled) {
    Tally& tally = by_course[key.second];
    tally.figures.course_id = key.second;
    ++tally.figures.enrolled;
    const auto done = completed.find(key);
    const auto studied = last_lesson.find(key);
    if (done != completed.end()) {
      ++tally.figures.started;
      ++tally.figures.completed;
      tally.completion_micros +=
          std::max<int64_t>(0, absl::ToInt64Microseconds(done->second - enroll_time));
    } else if (studied != last_lesson.end()) {
      ++tally.figures.started;
      ++tally.stopped_at[studied->second.second];
    }
  }
  std::vector<CourseFigures> courses;
  courses.reserve(by_course.size());
  for (auto& [course_id, tally] : by_course) {
    CourseFigures& figures = tally.figures;
    if (figures.completed > 0) {
      figures.average_tenths_of_days_to_complete =
          tally.completion_micros / figures.completed / kTenthOfDayMicros;
    }
    for (const auto& [lesson, count] : tally.stopped_at) {
      // The most; of equals, the lower lesson id (map order).
      if (count > figures.stopped_at_drop_off) {
        figures.drop_off_lesson_id = lesson;
        figures.stopped_at_drop_off = count;
      }
    }
    courses.push_back(std::move(figures));
  }
  std::sort(courses.begin(), courses.end(), [](const CourseFigures& a, const CourseFigures& b) {
    return std::make_tuple(-a.enrolled, a.course_id) < std::make_tuple(-b.enrolled, b.course_id);
  });
  return courses;
}

absl::Status CourseTitles(db::Transaction& tx, std::vector<CourseFigures>& courses) {
  std::vector<int64_t> course_ids;
  std::vector<int64_t> lesson_ids;
  for (const CourseFigures& course : courses) {
    course_ids.push_back(course.course_id);
    if (course.drop_off_lesson_id != 0) lesson_ids.push_back(course.drop_off_lesson_id);
  }
  std::map<int64_t, std::string> titles;
  const auto read = [&](const char* prefix, const std::vector<int64_t>& ids) {
    return db::QueryForIds(tx, prefix, ")", {}, ids,
                           [&](const db::Row& row) { titles[row.Int64(1)] = row.String(2); });
  };
  RETURN_IF_ERROR(read(kCourseTitles, course_ids));
  for (CourseFigures& course : courses) course.title = titles[course.course_id];
  titles.clear();
  RETURN_IF_ERROR(read(kLessonTitles, lesson_ids));
  for (CourseFigures& course : courses) {
    if (course.drop_off_lesson_id != 0) {
      course.drop_off_lesson_title = titles[course.drop_off_lesson_id];
    }
  }
  return absl::OkStatus();
}

std::string CourseLine(const CourseFigures& c) {
  return absl::StrCat(c.course_id, ",", c.enrolled, ",", c.started, ",", c.completed, ",",
                      c.average_tenths_of_days_to_complete, ",", c.drop_off_lesson_id, ",",
                      c.stopped_at_drop_off, "\n");
}

}  // namespace lms::statistics
