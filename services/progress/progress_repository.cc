#include "services/progress/progress_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/db/param.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

constexpr char kBumpMember[] =
    "INSERT INTO member_progress (member_id, checkpoint) VALUES (?, ?)"
    " ON DUPLICATE KEY UPDATE checkpoint = checkpoint + VALUES(checkpoint)";
constexpr char kMemberCheckpoint[] = "SELECT checkpoint FROM member_progress WHERE member_id = ?";
constexpr char kKnownIdsPrefix[] =
    "SELECT event_id FROM progress_event WHERE member_id = ? AND event_id IN (";
constexpr char kKnownSequences[] =
    "SELECT sequence, event_id FROM progress_event"
    " WHERE member_id = ? AND device_id = ? AND sequence BETWEEN ? AND ?";
constexpr char kInsertEventsPrefix[] =
    "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
    " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
    " active_seconds, credited_ms, rule_version) VALUES ";
constexpr char kEventRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kLessonEvents[] =
    "SELECT happen_time, from_position, to_position, active_seconds FROM progress_event"
    " WHERE member_id = ? AND lesson_id = ? ORDER BY happen_time, device_id, sequence, event_id";
constexpr char kPieces[] =
    "SELECT start_ms, end_ms, lesson_id FROM study_interval"
    " WHERE member_id = ? AND start_ms >= ? AND start_ms < ?";
constexpr char kSavePiecesPrefix[] =
    "INSERT INTO study_interval (member_id, start_ms, end_ms, lesson_id) VALUES ";
constexpr char kPieceRow[] = "(?, ?, ?, ?)";
constexpr char kSavePiecesSuffix[] = " ON DUPLICATE KEY UPDATE end_ms = VALUES(end_ms)";
constexpr char kLessonColumns[] =
    "SELECT member_id, lesson_id, course_id, last_position, last_time, last_device_id,"
    " coverage, day_wall, credited_ms, completion_time, rule_version, checkpoint"
    " FROM lesson_progress ";
constexpr char kSaveLessonsPrefix[] =
    "INSERT INTO lesson_progress (member_id, lesson_id, course_id, last_position, last_time,"
    " last_device_id, coverage, covered_units, day_wall, wall_ms, credited_ms,"
    " completion_time, rule_version, checkpoint) VALUES ";
constexpr char kLessonRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSaveLessonsSuffix[] =
    " ON DUPLICATE KEY UPDATE last_position = VALUES(last_position),"
    " last_time = VALUES(last_time), last_device_id = VALUES(last_device_id),"
    " coverage = VALUES(coverage), covered_units = VALUES(covered_units),"
    " day_wall = VALUES(day_wall), wall_ms = VALUES(wall_ms), credited_ms = VALUES(credited_ms),"
    " completion_time = VALUES(completion_time), rule_version = VALUES(rule_version),"
    " checkpoint = VALUES(checkpoint)";
constexpr char kCourse[] =
    "SELECT member_id, course_id, start_time, last_time, lessons_completed, credited_ms,"
    " completion_time, completion_kind, completion_rule_version, waiver_reason, waived_by,"
    " COALESCE(credit_id, 0) FROM course_progress WHERE member_id = ? AND course_id = ?";
constexpr char kSaveCourse[] =
    "INSERT INTO course_progress (member_id, course_id, state, start_time, last_time,"
    " lessons_completed, credited_ms, completion_time, completion_kind,"
    " completion_rule_version, waiver_reason, waived_by, credit_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
    " state = VALUES(state), last_time = VALUES(last_time),"
    " lessons_completed = VALUES(lessons_completed), credited_ms = VALUES(credited_ms),"
    " completion_time = VALUES(completion_time), completion_kind = VALUES(completion_kind),"
    " completion_rule_version = VALUES(completion_rule_version),"
    " waiver_reason = VALUES(waiver_reason), waived_by = VALUES(waived_by),"
    " credit_id = VALUES(credit_id), start_time = VALUES(start_time)";
constexpr char kCompactEvents[] =
    "DELETE FROM progress_event WHERE happen_time < ? ORDER BY happen_time LIMIT ?";

constexpr char kMemberExists[] = "SELECT id FROM member WHERE id = ?";

constexpr int kCourseInProgress = 1;
constexpr int kCourseCompleted = 2;

absl::StatusOr<LessonProgress> ReadLesson(const db::Row& row) {
  LessonProgress lesson;
  lesson.member_id = row.Int64(1);
  lesson.lesson_id = row.Int64(2);
  lesson.course_id = row.Int64(3);
  lesson.last_position = static_cast<int32_t>(row.Int64(4));
  lesson.last_time = row.Time(5);
  lesson.last_device_id = row.String(6);
  ASSIGN_OR_RETURN(lesson.coverage, IntervalSet::Parse(row.String(7)));
  ASSIGN_OR_RETURN(lesson.time, LessonTime::Parse(row.String(8)));
  lesson.credited_ms = row.Int64(9);
  if (!row.IsNull(10)) lesson.completion_time = row.Time(10);
  lesson.rule_version = row.Int64(11);
  lesson.checkpoint = row.Int64(12);
  return lesson;
}

// Runs a lesson query, stopping at the first corrupt row.
absl::Status QueryLessons(db::Transaction& tx, const std::string& sql,
                          const std::vector<db::Param>& params,
                          std::vector<LessonProgress>& lessons) {
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(tx.Query(sql, params, [&](const db::Row& row) {
    absl::StatusOr<LessonProgress> lesson = ReadLesson(row);
    if (lesson.ok()) {
      lessons.push_back(*std::move(lesson));
    } else if (corrupt.ok()) {
      corrupt = lesson.status();
    }
  }));
  return corrupt;
}

db::Param OptionalTime(const std::optional<absl::Time>& time) {
  return time.has_value() ? db::Param(*time) : db::Param(nullptr);
}

}  // namespace

absl::StatusOr<int64_t> ProgressRepository::LockMember(db::Transaction& tx, int64_t member_id,
                                                       int64_t count) const {
  RETURN_IF_ERROR(tx.Execute(kBumpMember, {member_id, count}).status());
  ASSIGN_OR_RETURN(const std::optional<int64_t> last,
                   tx.QueryInt64(kMemberCheckpoint, {member_id}));
  if (!last.has_value()) return absl::InternalError("member progress row vanished");
  return *last - count + 1;
}

absl::StatusOr<KnownEvents> ProgressRepository::Known(
    db::Transaction& tx, int64_t member_id, const std::vector<const ProgressEvent*>& events) const {
  KnownEvents known;
  std::vector<std::string> ids;
  std::map<std::string, std::pair<int64_t, int64_t>> sequence_ranges;  // by device
  for (const ProgressEvent* event : events) {
    ids.push_back(event->event_id);
    auto [range, fresh] =
        sequence_ranges.try_emplace(event->device_id, event->sequence, event->sequence);
    if (!fresh) {
      range->second.first = std::min(range->second.first, event->sequence);
      range->second.second = std::max(range->second.second, event->sequence);
    }
  }
  RETURN_IF_ERROR(db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{member_id};
    params.insert(params.end(), ids.begin() + begin, ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kKnownIdsPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { known.event_ids.insert(row.String(1)); });
  }));
  for (const auto& [device, range] : sequence_ranges) {
    RETURN_IF_ERROR(tx.Query(kKnownSequences, {member_id, device, range.first, range.second},
                             [&, &device = device](const db::Row& row) {
                               known.sequences[{device, row.Int64(1)}] = row.String(2);
                             }));
  }
  return known;
}

absl::Status ProgressRepository::InsertEvents(db::Transaction& tx, int64_t member_id,
                                              const std::vector<StoredEvent>& events) const {
  return db::ForEachBatch(events.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 14);
    for (size_t i = begin; i < begin + size; ++i) {
      const StoredEvent& stored = events[i];
      const ProgressEvent& event = *stored.event;
      params.insert(params.end(),
                    {member_id, event.event_id, event.lesson_id, event.device_id, event.sequence,
                     event.occur_time, event.sent_time, stored.receive_time, stored.happen_time,
                     event.from_position, event.to_position, event.active_seconds,
                     stored.credited_ms, stored.rule_version});
    }
    const std::vector<std::string> rows(size, kEventRow);
    return tx.Execute(absl::StrCat(kInsertEventsPrefix, absl::StrJoin(rows, ", ")), params)
        .status();
  });
}

absl::StatusOr<std::vector<StudiedSegment>> ProgressRepository::LessonEvents(
    db::Transaction& tx, int64_t member_id, int64_t lesson_id) const {
  std::vector<StudiedSegment> segments;
  RETURN_IF_ERROR(tx.Query(kLessonEvents, {member_id, lesson_id}, [&](const db::Row& row) {
    segments.push_back({row.Time(1), static_cast<int32_t>(row.Int64(2)),
                        static_cast<int32_t>(row.Int64(3)), static_cast<int32_t>(row.Int64(4))});
  }));
  return segments;
}

absl::StatusOr<std::vector<ClaimedPiece>> ProgressRepository::Pieces(db::Transaction& tx,
                                                                     int64_t member_id,
                                                                     int64_t from_ms,
                                                                     int64_t to_ms) const {
  std::vector<ClaimedPiece> pieces;
  RETURN_IF_ERROR(tx.Query(kPieces, {member_id, from_ms, to_ms}, [&](const db::Row& row) {
    pieces.push_back({row.Int64(1), row.Int64(2), row.Int64(3)});
  }));
  return pieces;
}

absl::Status ProgressRepository::SavePieces(db::Transaction& tx, int64_t member_id,
                                            const std::vector<ClaimedPiece>& pieces) const {
  return db::ForEachBatch(pieces.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 4);
    for (size_t i = begin; i < begin + size; ++i) {
      params.insert(params.end(),
                    {member_id, pieces[i].start_ms, pieces[i].end_ms, pieces[i].lesson_id});
    }
    const std::vector<std::string> rows(size, kPieceRow);
    return tx
        .Execute(absl::StrCat(kSavePiecesPrefix, absl::StrJoin(rows, ", "), kSavePiecesSuffix),
                 params)
        .status();
  });
}

absl::StatusOr<std::map<int64_t, LessonProgress>> ProgressRepository::Lessons(
    db::Transaction& tx, int64_t member_id, const std::vector<int64_t>& lesson_ids) const {
  std::vector<LessonProgress> found;
  RETURN_IF_ERROR(db::ForEachBatch(lesson_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{member_id};
    params.insert(params.end(), lesson_ids.begin() + begin, lesson_ids.begin() + begin + size);
    return QueryLessons(tx,
                        absl::StrCat(kLessonColumns, "WHERE member_id = ? AND lesson_id IN (",
                                     db::BindMarks(size), ")"),
                        params, found);
  }));
  std::map<int64_t, LessonProgress> lessons;
  for (LessonProgress& lesson : found) lessons.emplace(lesson.lesson_id, std::move(lesson));
  return lessons;
}

absl::StatusOr<std::vector<LessonProgress>> ProgressRepository::LessonsOfCourse(
    db::Transaction& tx, int64_t member_id, int64_t course_id) const {
  std::vector<LessonProgress> lessons;
  RETURN_IF_ERROR(
      QueryLessons(tx, absl::StrCat(kLessonColumns, "WHERE member_id = ? AND course_id = ?"),
                   {member_id, course_id}, lessons));
  return lessons;
}

absl::StatusOr<std::vector<LessonProgress>> ProgressRepository::ChangedSince(db::Transaction& tx,
                                                                             int64_t member_id,
                                                                             int64_t checkpoint,
                                                                             int limit) const {
  std::vector<LessonProgress> lessons;
  RETURN_IF_ERROR(QueryLessons(
      tx,
      absl::StrCat(kLessonColumns,
                   "WHERE member_id = ? AND checkpoint > ? ORDER BY checkpoint LIMIT ?"),
      {member_id, checkpoint, limit}, lessons));
  return lessons;
}

absl::Status ProgressRepository::SaveLessons(
    db::Transaction& tx, const std::vector<const LessonProgress*>& lessons) const {
  return db::ForEachBatch(lessons.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 14);
    for (size_t i = begin; i < begin + size; ++i) {
      const LessonProgress& lesson = *lessons[i];
      params.insert(params.end(),
                    {lesson.member_id, lesson.lesson_id, lesson.course_id, lesson.last_position,
                     lesson.last_time, lesson.last_device_id, lesson.coverage.Serialize(),
                     lesson.coverage.Measure(), lesson.time.Serialize(), lesson.time.wall_ms(),
                     lesson.credited_ms, OptionalTime(lesson.completion_time), lesson.rule_version,
                     lesson.checkpoint});
    }
    const std::vector<std::string> rows(size, kLessonRow);
    return tx
        .Execute(absl::StrCat(kSaveLessonsPrefix, absl::StrJoin(rows, ", "), kSaveLessonsSuffix),
                 params)
        .status();
  });
}

absl::StatusOr<std::optional<CourseProgress>> ProgressRepository::Course(db::Transaction& tx,
                                                                         int64_t member_id,
                                                                         int64_t course_id) const {
  std::optional<CourseProgress> found;
  RETURN_IF_ERROR(tx.Query(kCourse, {member_id, course_id}, [&](const db::Row& row) {
    CourseProgress course;
    course.member_id = row.Int64(1);
    course.course_id = row.Int64(2);
    course.start_time = row.Time(3);
    course.last_time = row.Time(4);
    course.lessons_completed = static_cast<int32_t>(row.Int64(5));
    course.credited_ms = row.Int64(6);
    if (!row.IsNull(7)) course.completion_time = row.Time(7);
    course.completion_kind = static_cast<CompletionKind>(row.Int64(8));
    course.completion_rule_version = row.Int64(9);
    course.waiver_reason = row.String(10);
    course.waived_by = row.Int64(11);
    course.credit_id = row.Int64(12);
    found = std::move(course);
  }));
  return found;
}

absl::Status ProgressRepository::SaveCourse(db::Transaction& tx,
                                            const CourseProgress& course) const {
  return tx
      .Execute(kSaveCourse,
               {course.member_id, course.course_id,
                course.completed() ? kCourseCompleted : kCourseInProgress, course.start_time,
                course.last_time, course.lessons_completed, course.credited_ms,
                OptionalTime(course.completion_time), static_cast<int>(course.completion_kind),
                course.completion_rule_version, course.waiver_reason, course.waived_by,
                db::Param::NullIfZero(course.credit_id)})
      .status();
}

absl::StatusOr<bool> ProgressRepository::MemberExists(db::Transaction& tx,
                                                      int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found, tx.QueryInt64(kMemberExists, {member_id}));
  return found.has_value();
}

absl::StatusOr<uint64_t> ProgressRepository::CompactEvents(db::Transaction& tx, absl::Time before,
                                                           int limit) const {
  return tx.Execute(kCompactEvents, {before, limit});
}

}  // namespace lms::progress
