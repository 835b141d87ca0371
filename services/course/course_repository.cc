#include "services/course/course_repository.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/text/text.h"

namespace lms::course {
namespace {

constexpr char kNextGeneration[] =
    "UPDATE catalogue_state SET generation = LAST_INSERT_ID(generation + 1) WHERE id = 1";
constexpr char kLastInsertId[] = "SELECT LAST_INSERT_ID()";
constexpr char kCurrentGeneration[] = "SELECT generation FROM catalogue_state WHERE id = 1";

constexpr char kInsertCourse[] =
    "INSERT INTO course (title, summary, cover_url, content_category, audience_mask,"
    " study_hours_centi, state, version, change_seq, created_by, create_time, update_time)"
    " VALUES (?, ?, ?, ?, ?, ?, 1, 1, 0, ?, ?, ?)";
constexpr char kUpdateCourse[] =
    "UPDATE course SET title = ?, summary = ?, cover_url = ?, content_category = ?,"
    " audience_mask = ?, study_hours_centi = ?, version = version + 1, update_time = ?"
    " WHERE id = ?";
constexpr char kSetState[] =
    "UPDATE course SET state = ?, version = version + 1, update_time = ?,"
    " publish_time = IF(? = 2, COALESCE(publish_time, ?), publish_time) WHERE id = ?";
constexpr char kSetChangeSeq[] = "UPDATE course SET change_seq = ? WHERE id = ?";

constexpr char kSelectCourse[] =
    "SELECT c.id, c.title, c.summary, c.cover_url, c.content_category, c.audience_mask,"
    " c.study_hours_centi, c.state, c.version, c.change_seq, c.learner_count, c.created_by,"
    " c.create_time, c.update_time, c.publish_time FROM course c WHERE c.id = ?";
constexpr char kSelectCourseForUpdate[] =
    "SELECT c.id, c.title, c.summary, c.cover_url, c.content_category, c.audience_mask,"
    " c.study_hours_centi, c.state, c.version, c.change_seq, c.learner_count, c.created_by,"
    " c.create_time, c.update_time, c.publish_time FROM course c WHERE c.id = ? FOR UPDATE";
constexpr char kSelectTags[] =
    "SELECT course_id, tag FROM course_tag WHERE course_id = ? ORDER BY position";
constexpr char kSelectLessons[] =
    "SELECT course_id, id, title, kind, url, duration_seconds, page_count, body_length"
    " FROM lesson WHERE course_id = ? AND removed = 0 ORDER BY position";
constexpr char kSelectLessonKinds[] =
    "SELECT id, kind FROM lesson WHERE course_id = ? AND removed = 0";

constexpr char kRepeatableRead[] = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
constexpr char kSelectChangedCourses[] =
    "SELECT c.id, c.title, c.summary, c.cover_url, c.content_category, c.audience_mask,"
    " c.study_hours_centi, c.state, c.version, c.change_seq, c.learner_count, c.created_by,"
    " c.create_time, c.update_time, c.publish_time FROM course c WHERE c.change_seq > ?";
constexpr char kSelectChangedTags[] =
    "SELECT t.course_id, t.tag FROM course_tag t JOIN course c ON c.id = t.course_id"
    " WHERE c.change_seq > ? ORDER BY t.course_id, t.position";
constexpr char kSelectChangedLessons[] =
    "SELECT l.course_id, l.id, l.title, l.kind, l.url, l.duration_seconds, l.page_count,"
    " l.body_length FROM lesson l JOIN course c ON c.id = l.course_id"
    " WHERE c.change_seq > ? AND l.removed = 0 ORDER BY l.course_id, l.position";
constexpr char kSelectLearnerCounts[] = "SELECT id, learner_count FROM course";

constexpr char kDeleteTags[] = "DELETE FROM course_tag WHERE course_id = ?";
constexpr char kRemoveLessons[] = "UPDATE lesson SET removed = 1 WHERE course_id = ?";
constexpr char kInsertLesson[] =
    "INSERT INTO lesson (course_id, position, removed, title, kind, url, duration_seconds,"
    " page_count, body, body_length) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdateLesson[] =
    "UPDATE lesson SET position = ?, removed = 0, title = ?, kind = ?, url = ?,"
    " duration_seconds = ?, page_count = ?, body = ?, body_length = ?"
    " WHERE id = ? AND course_id = ?";
constexpr char kUpdateLessonKeepBody[] =
    "UPDATE lesson SET position = ?, removed = 0, title = ? WHERE id = ? AND course_id = ?";
constexpr char kSelectLessonContent[] =
    "SELECT l.id, l.course_id, c.version, c.state, l.title, l.kind, l.url, l.duration_seconds,"
    " l.page_count, l.body, l.body_length FROM lesson l JOIN course c ON c.id = l.course_id"
    " WHERE l.id = ? AND l.removed = 0";

Course CourseFromRow(const db::Row& row) {
  Course course;
  course.id = row.Int64(1);
  course.title = row.String(2);
  course.summary = row.String(3);
  course.cover_url = row.String(4);
  course.content_category = static_cast<ContentCategory>(row.Int64(5));
  course.audience = MemberCategoriesFromMask(row.Int64(6));
  course.study_hours_centi = row.Int64(7);
  course.state = static_cast<CourseState>(row.Int64(8));
  course.version = row.Int64(9);
  course.change_seq = row.Int64(10);
  course.learner_count = row.Int64(11);
  course.created_by = row.Int64(12);
  course.create_time = row.Time(13);
  course.update_time = row.Time(14);
  course.publish_time = row.Time(15);
  return course;
}

// Columns: course_id, id, title, kind, url, duration_seconds, page_count, body_length.
Lesson LessonFromRow(const db::Row& row) {
  Lesson lesson;
  lesson.id = row.Int64(2);
  lesson.title = row.String(3);
  lesson.kind = static_cast<LessonKind>(row.Int64(4));
  lesson.url = row.String(5);
  lesson.duration_seconds = static_cast<int32_t>(row.Int64(6));
  lesson.page_count = static_cast<int32_t>(row.Int64(7));
  lesson.article_length = static_cast<int32_t>(row.Int64(8));
  return lesson;
}

}  // namespace

absl::StatusOr<int64_t> CourseRepository::NextGeneration(db::Transaction& tx) const {
  RETURN_IF_ERROR(tx.Execute(kNextGeneration, {}).status());
  ASSIGN_OR_RETURN(std::optional<int64_t> generation, tx.QueryInt64(kLastInsertId, {}));
  if (!generation.has_value()) return absl::InternalError("catalogue_state row missing");
  return *generation;
}

absl::StatusOr<int64_t> CourseRepository::CurrentGeneration(db::Transaction& tx) const {
  ASSIGN_OR_RETURN(std::optional<int64_t> generation, tx.QueryInt64(kCurrentGeneration, {}));
  return generation.value_or(0);
}

absl::StatusOr<int64_t> CourseRepository::Insert(db::Transaction& tx, const Course& course,
                                                 int64_t created_by, absl::Time now) const {
  ASSIGN_OR_RETURN(const int64_t id,
                   tx.Insert(kInsertCourse, {course.title, course.summary, course.cover_url,
                                             static_cast<int>(course.content_category),
                                             MemberCategoryMask(course.audience),
                                             course.study_hours_centi, created_by, now, now}));
  Course stored = course;
  stored.id = id;
  RETURN_IF_ERROR(ReplaceTags(tx, stored));
  RETURN_IF_ERROR(ReplaceLessons(tx, stored));
  return id;
}

absl::Status CourseRepository::Update(db::Transaction& tx, const Course& course,
                                      absl::Time now) const {
  RETURN_IF_ERROR(tx.Execute(kUpdateCourse, {course.title, course.summary, course.cover_url,
                                             static_cast<int>(course.content_category),
                                             MemberCategoryMask(course.audience),
                                             course.study_hours_centi, now, course.id})
                      .status());
  RETURN_IF_ERROR(ReplaceTags(tx, course));
  return ReplaceLessons(tx, course);
}

absl::Status CourseRepository::SetState(db::Transaction& tx, int64_t id, CourseState state,
                                        absl::Time now) const {
  const int state_number = static_cast<int>(state);
  return tx.Execute(kSetState, {state_number, now, state_number, now, id}).status();
}

absl::Status CourseRepository::SetChangeSeq(db::Transaction& tx, int64_t id,
                                            int64_t generation) const {
  return tx.Execute(kSetChangeSeq, {generation, id}).status();
}

absl::Status CourseRepository::ReplaceTags(db::Transaction& tx, const Course& course) const {
  RETURN_IF_ERROR(tx.Execute(kDeleteTags, {course.id}).status());
  if (course.tags.empty()) return absl::OkStatus();
  // One multi-row INSERT instead of a round trip per tag.
  std::string sql = "INSERT INTO course_tag (course_id, position, tag) VALUES ";
  std::vector<db::Param> params;
  for (size_t i = 0; i < course.tags.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "(?, ?, ?)");
    params.emplace_back(course.id);
    params.emplace_back(static_cast<int64_t>(i));
    params.emplace_back(course.tags[i]);
  }
  return tx.Execute(sql, params).status();
}

absl::Status CourseRepository::ReplaceLessons(db::Transaction& tx, const Course& course) const {
  // Lessons keep their ids (progress points at them): mark all removed, then revive and
  // rewrite the ones still listed, and insert the new ones.
  RETURN_IF_ERROR(tx.Execute(kRemoveLessons, {course.id}).status());
  for (size_t position = 0; position < course.lessons.size(); ++position) {
    const Lesson& lesson = course.lessons[position];
    const int64_t body_length = static_cast<int64_t>(text::CodePointCount(lesson.article_html));
    if (lesson.id == 0) {
      RETURN_IF_ERROR(
          tx.Execute(kInsertLesson,
                     {course.id, static_cast<int64_t>(position), lesson.title,
                      static_cast<int>(lesson.kind), lesson.url, lesson.duration_seconds,
                      lesson.page_count, lesson.article_html, body_length})
              .status());
    } else if (lesson.kind == LessonKind::kArticle && lesson.article_html.empty()) {
      RETURN_IF_ERROR(tx.Execute(kUpdateLessonKeepBody, {static_cast<int64_t>(position),
                                                         lesson.title, lesson.id, course.id})
                          .status());
    } else {
      ASSIGN_OR_RETURN(
          const uint64_t changed,
          tx.Execute(kUpdateLesson,
                     {static_cast<int64_t>(position), lesson.title, static_cast<int>(lesson.kind),
                      lesson.url, lesson.duration_seconds, lesson.page_count, lesson.article_html,
                      body_length, lesson.id, course.id}));
      if (changed == 0) {
        return absl::InvalidArgumentError(absl::StrCat("course.lessons[", position, "].id: lesson ",
                                                       lesson.id, " is not part of this course"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Course> CourseRepository::Find(db::Transaction& tx, int64_t id,
                                              bool for_update) const {
  std::optional<Course> course;
  RETURN_IF_ERROR(tx.Query(for_update ? kSelectCourseForUpdate : kSelectCourse, {id},
                           [&](const db::Row& row) { course = CourseFromRow(row); }));
  if (!course.has_value()) return absl::NotFoundError(absl::StrCat("course ", id, " not found"));
  RETURN_IF_ERROR(tx.Query(kSelectTags, {id},
                           [&](const db::Row& row) { course->tags.push_back(row.String(2)); }));
  RETURN_IF_ERROR(tx.Query(kSelectLessons, {id}, [&](const db::Row& row) {
    course->lessons.push_back(LessonFromRow(row));
  }));
  return *std::move(course);
}

absl::StatusOr<absl::flat_hash_map<int64_t, LessonKind>> CourseRepository::LessonKinds(
    db::Transaction& tx, int64_t course_id) const {
  absl::flat_hash_map<int64_t, LessonKind> kinds;
  RETURN_IF_ERROR(tx.Query(kSelectLessonKinds, {course_id}, [&](const db::Row& row) {
    kinds[row.Int64(1)] = static_cast<LessonKind>(row.Int64(2));
  }));
  return kinds;
}

absl::StatusOr<std::vector<Course>> CourseRepository::ChangedSince(db::Transaction& tx,
                                                                   int64_t generation) const {
  // One consistent snapshot for the three reads, so a course never pairs with the
  // lessons of a later edit.
  RETURN_IF_ERROR(tx.Execute(kRepeatableRead, {}).status());
  std::vector<Course> courses;
  absl::flat_hash_map<int64_t, size_t> index;
  RETURN_IF_ERROR(tx.Query(kSelectChangedCourses, {generation}, [&](const db::Row& row) {
    index[row.Int64(1)] = courses.size();
    courses.push_back(CourseFromRow(row));
  }));
  if (courses.empty()) return courses;
  RETURN_IF_ERROR(tx.Query(kSelectChangedTags, {generation}, [&](const db::Row& row) {
    const auto it = index.find(row.Int64(1));
    if (it != index.end()) courses[it->second].tags.push_back(row.String(2));
  }));
  RETURN_IF_ERROR(tx.Query(kSelectChangedLessons, {generation}, [&](const db::Row& row) {
    const auto it = index.find(row.Int64(1));
    if (it != index.end()) courses[it->second].lessons.push_back(LessonFromRow(row));
  }));
  return courses;
}

absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> CourseRepository::LearnerCounts(
    db::Transaction& tx) const {
  std::vector<std::pair<int64_t, int64_t>> counts;
  RETURN_IF_ERROR(tx.Query(kSelectLearnerCounts, {}, [&](const db::Row& row) {
    counts.emplace_back(row.Int64(1), row.Int64(2));
  }));
  return counts;
}

absl::StatusOr<LessonContent> CourseRepository::FindLessonContent(db::Transaction& tx,
                                                                  int64_t lesson_id) const {
  std::optional<LessonContent> content;
  RETURN_IF_ERROR(tx.Query(kSelectLessonContent, {lesson_id}, [&](const db::Row& row) {
    LessonContent found;
    found.lesson.id = row.Int64(1);
    found.course_id = row.Int64(2);
    found.course_version = row.Int64(3);
    found.course_state = static_cast<CourseState>(row.Int64(4));
    found.lesson.title = row.String(5);
    found.lesson.kind = static_cast<LessonKind>(row.Int64(6));
    found.lesson.url = row.String(7);
    found.lesson.duration_seconds = static_cast<int32_t>(row.Int64(8));
    found.lesson.page_count = static_cast<int32_t>(row.Int64(9));
    found.lesson.article_html = row.String(10);
    found.lesson.article_length = static_cast<int32_t>(row.Int64(11));
    content = std::move(found);
  }));
  if (!content.has_value()) {
    return absl::NotFoundError(absl::StrCat("lesson ", lesson_id, " not found"));
  }
  return *std::move(content);
}

}  // namespace lms::course
