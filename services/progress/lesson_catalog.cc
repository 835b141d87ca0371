#include "services/progress/lesson_catalog.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/db/param.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

constexpr char kLessonColumns[] =
    "SELECT l.id, l.course_id, l.title, l.kind, l.duration_seconds, l.page_count, l.body_length,"
    " l.removed, c.state, c.title, c.study_hours_centi, c.content_category, c.audience_mask"
    " FROM lesson l JOIN course c ON c.id = l.course_id ";
constexpr char kCourseRow[] =
    "SELECT 0, id, '', 0, 0, 0, 0, 0, state, title, study_hours_centi, content_category,"
    " audience_mask FROM course WHERE id = ?";

LessonFacts ReadFacts(const db::Row& row) {
  LessonFacts facts;
  facts.lesson_id = row.Int64(1);
  facts.course_id = row.Int64(2);
  facts.title = row.String(3);
  facts.kind = static_cast<course::LessonKind>(row.Int64(4));
  facts.duration_seconds = static_cast<int32_t>(row.Int64(5));
  facts.page_count = static_cast<int32_t>(row.Int64(6));
  facts.article_length = static_cast<int32_t>(row.Int64(7));
  facts.removed = row.Bool(8);
  facts.course_state = static_cast<course::CourseState>(row.Int64(9));
  facts.course_title = row.String(10);
  facts.course_hours_centi = row.Int64(11);
  facts.content_category = static_cast<ContentCategory>(row.Int64(12));
  facts.audience_mask = row.Int64(13);
  return facts;
}

}  // namespace

absl::StatusOr<std::map<int64_t, LessonFacts>> LessonCatalog::Lessons(
    db::Transaction& tx, const std::vector<int64_t>& lesson_ids) const {
  std::map<int64_t, LessonFacts> lessons;
  RETURN_IF_ERROR(db::ForEachBatch(lesson_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(lesson_ids.begin() + begin,
                                        lesson_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kLessonColumns, "WHERE l.id IN (", db::BindMarks(size), ")"),
                    params, [&](const db::Row& row) {
                      LessonFacts facts = ReadFacts(row);
                      lessons.emplace(facts.lesson_id, std::move(facts));
                    });
  }));
  return lessons;
}

absl::StatusOr<std::vector<LessonFacts>> LessonCatalog::CourseLessons(db::Transaction& tx,
                                                                      int64_t course_id) const {
  std::vector<LessonFacts> lessons;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kLessonColumns, "WHERE l.course_id = ? AND l.removed = 0 ORDER BY l.position"),
      {course_id}, [&](const db::Row& row) { lessons.push_back(ReadFacts(row)); }));
  return lessons;
}

absl::StatusOr<std::optional<LessonFacts>> LessonCatalog::Course(db::Transaction& tx,
                                                                 int64_t course_id) const {
  std::optional<LessonFacts> course;
  RETURN_IF_ERROR(
      tx.Query(kCourseRow, {course_id}, [&](const db::Row& row) { course = ReadFacts(row); }));
  return course;
}

}  // namespace lms::progress
