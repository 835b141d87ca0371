#include "services/progress/progress_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/db/param.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

// The lock row, created on a member's first write; an existing one is locked without a
// change (an upsert's exclusive lock, where INSERT IGNORE's shared one would deadlock two
// first writes).
constexpr char kLockMembersPrefix[] = "INSERT INTO member_progress (member_id) VALUES ";
constexpr char kLockMembersSuffix[] = " ON DUPLICATE KEY UPDATE member_id = VALUES(member_id)";
constexpr char kKnownColumns[] =
    "SELECT member_id, event_id, device_id, sequence FROM progress_event";
constexpr char kInsertEventsPrefix[] =
    "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
    " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
    " active_seconds, credited_ms, rule_version, evidence_id) VALUES ";
constexpr char kEventRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kLessonEvents[] =
    "SELECT happen_time, from_position, to_position, active_seconds FROM progress_event"
    " WHERE member_id = ? AND lesson_id = ? ORDER BY happen_time, device_id, sequence, event_id";
// How far apart a batch's study windows may lie and still be read as one (see ReadBatch).
constexpr int64_t kSharedPieceWindowMs = int64_t{3} * 86'400'000;
constexpr char kPieceWindow[] = "(member_id = ? AND start_ms >= ? AND start_ms < ?)";
constexpr char kSavePiecesPrefix[] =
    "INSERT INTO study_interval (member_id, start_ms, end_ms, lesson_id) VALUES ";
constexpr char kPieceRow[] = "(?, ?, ?, ?)";
constexpr char kMemberEventId[] = "(member_id = ? AND event_id = ?)";
constexpr char kMemberSequences[] =
    "(member_id = ? AND device_id = ? AND sequence BETWEEN ? AND ?)";
constexpr char kSavePiecesSuffix[] = " ON DUPLICATE KEY UPDATE end_ms = VALUES(end_ms)";
constexpr char kCourseColumns[] =
    "SELECT member_id, course_id, lessons_completed,"
    " completion_time, completion_kind, completion_rule_version, waiver_reason, waived_by,"
    " COALESCE(credit_id, 0) FROM course_progress ";
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
constexpr char kSaveCoursesPrefix[] =
    "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
    " completion_time, completion_kind, completion_rule_version, waiver_reason, waived_by,"
    " credit_id) VALUES ";
constexpr char kCourseRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSaveCoursesSuffix[] =
    " ON DUPLICATE KEY UPDATE"
    " state = VALUES(state), lessons_completed = VALUES(lessons_completed),"
    " completion_time = VALUES(completion_time), completion_kind = VALUES(completion_kind),"
    " completion_rule_version = VALUES(completion_rule_version),"
    " waiver_reason = VALUES(waiver_reason), waived_by = VALUES(waived_by),"
    " credit_id = VALUES(credit_id)";
// Compaction finds old events with a plain read of the happen_time index, then deletes
// them by primary key: a locking range scan would queue behind (and hold up) the inserts
// of members studying now.
constexpr char kOldEvents[] =
    "SELECT member_id, event_id FROM progress_event WHERE happen_time < ?"
    " ORDER BY happen_time LIMIT ?";
constexpr char kDeleteEvent[] = "(member_id = ? AND event_id = ?)";

constexpr char kMemberExists[] = "SELECT id FROM member WHERE id = ?";

constexpr int kCourseInProgress = 1;
constexpr int kCourseCompleted = 2;

// A lesson row whose columns start at `first_column` (1: a plain lesson query).
absl::StatusOr<LessonProgress> ReadLesson(const db::Row& row, int first_column = 1) {
  const int c = first_column - 1;
  LessonProgress lesson;
  lesson.member_id = row.Int64(c + 1);
  lesson.lesson_id = row.Int64(c + 2);
  lesson.course_id = row.Int64(c + 3);
  lesson.last_position = static_cast<int32_t>(row.Int64(c + 4));
  lesson.last_time = row.Time(c + 5);
  lesson.last_device_id = row.String(c + 6);
  ASSIGN_OR_RETURN(lesson.coverage, IntervalSet::Parse(row.String(c + 7)));
  ASSIGN_OR_RETURN(lesson.time, LessonTime::Parse(row.String(c + 8)));
  lesson.credited_ms = row.Int64(c + 9);
  if (!row.IsNull(c + 10)) lesson.completion_time = row.Time(c + 10);
  lesson.rule_version = row.Int64(c + 11);
  lesson.checkpoint = row.Int64(c + 12);
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

absl::Status ProgressRepository::LockMembers(db::Transaction& tx,
                                             const std::set<int64_t>& members) const {
  if (members.empty()) return absl::OkStatus();
  // In member order (the set's), one statement: every batch takes the row locks in the
  // same order.
  const std::vector<db::Param> params(members.begin(), members.end());
  const std::vector<std::string> rows(members.size(), "(?)");
  return tx
      .Execute(absl::StrCat(kLockMembersPrefix, absl::StrJoin(rows, ", "), kLockMembersSuffix),
               params)
      .status();
}

absl::StatusOr<BatchReads> ProgressRepository::ReadBatch(
    db::Transaction& tx, const std::set<int64_t>& members, const std::set<MemberKey>& lessons,
    const std::map<int64_t, Interval>& windows) const {
  // Three reads in one statement, told apart by the first column; the columns a branch
  // does not have are NULL.
  std::vector<std::string> branches;
  std::vector<db::Param> params;
  if (!members.empty()) {
    const size_t size =
        db::AppendPadded(std::vector<int64_t>(members.begin(), members.end()), params);
    // The member's last checkpoint: its lessons' highest (an index range each).
    branches.push_back(absl::StrCat(
        "SELECT 1, member_id, MAX(checkpoint), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        " NULL, NULL FROM lesson_progress WHERE member_id IN (",
        db::BindMarks(size), ") GROUP BY member_id"));
  }
  if (!windows.empty()) {
    // Live reports' windows lie within a few days of each other: one window spanning them
    // all, with the members as an IN list, reads a few more pieces than the members' own
    // windows but costs the optimizer one range per member instead of weighing a long OR
    // (which cost more than the rest of the batch's reads together). Only a batch mixing
    // old and new events (a kiosk's late sync) names each member's own window.
    Interval span = windows.begin()->second;
    for (const auto& [member, window] : windows) {
      span.begin = std::min(span.begin, window.begin);
      span.end = std::max(span.end, window.end);
    }
    constexpr char kPiecesSelect[] =
        "SELECT 2, member_id, start_ms, end_ms, lesson_id, NULL, NULL, NULL, NULL, NULL, NULL,"
        " NULL, NULL FROM study_interval WHERE ";
    if (span.end - span.begin <= kSharedPieceWindowMs) {
      std::vector<int64_t> window_members;
      for (const auto& [member, window] : windows) window_members.push_back(member);
      const size_t size = db::AppendPadded(window_members, params);
      params.emplace_back(span.begin);
      params.emplace_back(span.end);
      branches.push_back(absl::StrCat(kPiecesSelect, "member_id IN (", db::BindMarks(size),
                                      ") AND start_ms >= ? AND start_ms < ?"));
    } else {
      std::vector<std::vector<db::Param>> groups;
      for (const auto& [member, window] : windows) {
        groups.push_back({member, window.begin, window.end});
      }
      const size_t size = db::AppendPaddedGroups(groups, params);
      branches.push_back(absl::StrCat(kPiecesSelect, db::OrOf(kPieceWindow, size)));
    }
  }
  if (!lessons.empty()) {
    std::set<int64_t> member_set, lesson_set;
    for (const auto& [member, lesson] : lessons) {
      member_set.insert(member);
      lesson_set.insert(lesson);
    }
    const size_t member_count =
        db::AppendPadded(std::vector<int64_t>(member_set.begin(), member_set.end()), params);
    const size_t lesson_count =
        db::AppendPadded(std::vector<int64_t>(lesson_set.begin(), lesson_set.end()), params);
    branches.push_back(absl::StrCat(
        "SELECT 3, member_id, lesson_id, course_id, last_position, last_time, last_device_id,"
        " coverage, day_wall, credited_ms, completion_time, rule_version, checkpoint"
        " FROM lesson_progress WHERE member_id IN (",
        db::BindMarks(member_count), ") AND lesson_id IN (", db::BindMarks(lesson_count), ")"));
  }
  BatchReads reads;
  if (branches.empty()) return reads;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(tx.Query(absl::StrJoin(branches, " UNION ALL "), params, [&](const db::Row& row) {
    const int64_t member = row.Int64(2);
    switch (row.Int64(1)) {
      case 1:
        reads.checkpoints[member] = row.Int64(3);
        break;
      case 2:
        reads.pieces[member].push_back({row.Int64(3), row.Int64(4), row.Int64(5)});
        break;
      default: {
        absl::StatusOr<LessonProgress> lesson = ReadLesson(row, /*first_column=*/2);
        if (!lesson.ok()) {
          if (corrupt.ok()) corrupt = lesson.status();
          break;
        }
        const MemberKey key{lesson->member_id, lesson->lesson_id};
        if (lessons.count(key) > 0) reads.lessons.emplace(key, *std::move(lesson));
      }
    }
  }));
  RETURN_IF_ERROR(corrupt);
  return reads;
}

absl::StatusOr<KnownEvents> ProgressRepository::Known(
    db::Transaction& tx, const std::vector<MemberEvent>& events) const {
  KnownEvents known;
  if (events.empty()) return known;
  std::set<std::pair<int64_t, std::string>> wanted_ids;
  std::map<std::pair<int64_t, std::string>, std::pair<int64_t, int64_t>> ranges;
  for (const MemberEvent& e : events) {
    wanted_ids.insert({e.member_id, e.event->event_id});
    auto [range, fresh] =
        ranges.try_emplace({e.member_id, e.event->device_id}, e.event->sequence, e.event->sequence);
    if (!fresh) {
      range->second.first = std::min(range->second.first, e.event->sequence);
      range->second.second = std::max(range->second.second, e.event->sequence);
    }
  }
  std::vector<std::vector<db::Param>> id_groups;
  for (const auto& [member, id] : wanted_ids) id_groups.push_back({member, id});
  std::vector<std::vector<db::Param>> sequence_groups;
  for (const auto& [key, range] : ranges) {
    sequence_groups.push_back({key.first, key.second, range.first, range.second});
  }
  // One round trip: the ids, then the device sequences, each as primary or unique key
  // ranges the range optimizer reads exactly. One member's ids (a kiosk's large batch)
  // are an IN list; several members' (small reports sharing a transaction) an OR of
  // pairs, a few hundred at most.
  std::vector<db::Param> params;
  std::string ids_clause;
  const bool one_member = wanted_ids.begin()->first == wanted_ids.rbegin()->first;
  if (one_member) {
    std::vector<std::string> id_list;
    for (const auto& [member, id] : wanted_ids) id_list.push_back(id);
    params.emplace_back(wanted_ids.begin()->first);
    const size_t ids = db::AppendPadded(id_list, params);
    ids_clause = absl::StrCat("member_id = ? AND event_id IN (", db::BindMarks(ids), ")");
  } else {
    ids_clause = db::OrOf(kMemberEventId, db::AppendPaddedGroups(id_groups, params));
  }
  const size_t sequences = db::AppendPaddedGroups(sequence_groups, params);
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat(kKnownColumns, " WHERE ", ids_clause, " UNION ALL ", kKnownColumns,
                            " WHERE ", db::OrOf(kMemberSequences, sequences)),
               params, [&](const db::Row& row) {
                 const int64_t member = row.Int64(1);
                 std::string event_id = row.String(2);
                 if (wanted_ids.count({member, event_id}) > 0)
                   known.event_ids.insert({member, event_id});
                 known.sequences[{member, row.String(3), row.Int64(4)}] = std::move(event_id);
               }));
  return known;
}

absl::Status ProgressRepository::InsertEvents(db::Transaction& tx,
                                              const std::vector<StoredEvent>& events) const {
  if (events.empty()) return absl::OkStatus();
  std::vector<int64_t> members;
  for (const StoredEvent& stored : events) members.push_back(stored.member_id);
  // Study time and the last study are statistics figures.
  RETURN_IF_ERROR(statistics_queue_.Enqueue(tx, std::move(members), events.front().receive_time));
  return db::ForEachExactBatch(events.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 15);
    for (size_t i = begin; i < begin + size; ++i) {
      const StoredEvent& stored = events[i];
      const ProgressEvent& event = *stored.event;
      params.insert(
          params.end(),
          {stored.member_id, event.event_id, event.lesson_id, event.device_id, event.sequence,
           event.occur_time, event.sent_time, stored.receive_time, stored.happen_time,
           event.from_position, event.to_position, event.active_seconds, stored.credited_ms,
           stored.rule_version, db::Param::NullIfZero(event.evidence_id)});
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

absl::Status ProgressRepository::SavePieces(db::Transaction& tx,
                                            const std::vector<MemberPiece>& pieces) const {
  return db::ForEachExactBatch(pieces.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 4);
    for (size_t i = begin; i < begin + size; ++i) {
      const ClaimedPiece& piece = pieces[i].piece;
      params.insert(params.end(),
                    {pieces[i].member_id, piece.start_ms, piece.end_ms, piece.lesson_id});
    }
    const std::vector<std::string> rows(size, kPieceRow);
    return tx
        .Execute(absl::StrCat(kSavePiecesPrefix, absl::StrJoin(rows, ", "), kSavePiecesSuffix),
                 params)
        .status();
  });
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
  return db::ForEachExactBatch(lessons.size(), [&](size_t begin, size_t size) {
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

namespace {

CourseProgress ReadCourse(const db::Row& row) {
  CourseProgress course;
  course.member_id = row.Int64(1);
  course.course_id = row.Int64(2);
  course.lessons_completed = static_cast<int32_t>(row.Int64(3));
  if (!row.IsNull(4)) course.completion_time = row.Time(4);
  course.completion_kind = static_cast<CompletionKind>(row.Int64(5));
  course.completion_rule_version = row.Int64(6);
  course.waiver_reason = row.String(7);
  course.waived_by = row.Int64(8);
  course.credit_id = row.Int64(9);
  return course;
}

}  // namespace

absl::StatusOr<std::optional<CourseProgress>> ProgressRepository::Course(db::Transaction& tx,
                                                                         int64_t member_id,
                                                                         int64_t course_id) const {
  std::optional<CourseProgress> found;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kCourseColumns, "WHERE member_id = ? AND course_id = ?"),
                           {member_id, course_id},
                           [&](const db::Row& row) { found = ReadCourse(row); }));
  return found;
}

absl::StatusOr<std::map<MemberKey, CourseProgress>> ProgressRepository::Courses(
    db::Transaction& tx, const std::set<MemberKey>& wanted) const {
  std::map<MemberKey, CourseProgress> courses;
  if (wanted.empty()) return courses;
  std::set<int64_t> member_set, course_set;
  for (const auto& [member, course] : wanted) {
    member_set.insert(member);
    course_set.insert(course);
  }
  std::vector<db::Param> params;
  const size_t members =
      db::AppendPadded(std::vector<int64_t>(member_set.begin(), member_set.end()), params);
  const size_t course_count =
      db::AppendPadded(std::vector<int64_t>(course_set.begin(), course_set.end()), params);
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat(kCourseColumns, "WHERE member_id IN (", db::BindMarks(members),
                            ") AND course_id IN (", db::BindMarks(course_count), ")"),
               params, [&](const db::Row& row) {
                 CourseProgress course = ReadCourse(row);
                 const MemberKey key{course.member_id, course.course_id};
                 if (wanted.count(key) > 0) courses.emplace(key, std::move(course));
               }));
  return courses;
}

absl::Status ProgressRepository::SaveCourse(db::Transaction& tx,
                                            const CourseProgress& course) const {
  return SaveCourses(tx, {&course});
}

absl::Status ProgressRepository::SaveCourses(
    db::Transaction& tx, const std::vector<const CourseProgress*>& courses) const {
  std::vector<int64_t> members;
  for (const CourseProgress* course : courses) members.push_back(course->member_id);
  // Completions are statistics figures; queued at the clock's time of the change.
  RETURN_IF_ERROR(statistics_queue_.Enqueue(tx, std::move(members), absl::Now()));
  return db::ForEachExactBatch(courses.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 13);
    for (size_t i = begin; i < begin + size; ++i) {
      const CourseProgress& course = *courses[i];
      params.insert(params.end(), {course.member_id, course.course_id,
                                   course.completed() ? kCourseCompleted : kCourseInProgress,
                                   course.lessons_completed, OptionalTime(course.completion_time),
                                   static_cast<int>(course.completion_kind),
                                   course.completion_rule_version, course.waiver_reason,
                                   course.waived_by, db::Param::NullIfZero(course.credit_id)});
    }
    const std::vector<std::string> rows(size, kCourseRow);
    return tx
        .Execute(absl::StrCat(kSaveCoursesPrefix, absl::StrJoin(rows, ", "), kSaveCoursesSuffix),
                 params)
        .status();
  });
}

absl::StatusOr<bool> ProgressRepository::MemberExists(db::Transaction& tx,
                                                      int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found, tx.QueryInt64(kMemberExists, {member_id}));
  return found.has_value();
}

absl::StatusOr<uint64_t> ProgressRepository::CompactEvents(db::Transaction& tx, absl::Time before,
                                                           int limit) const {
  std::vector<std::vector<db::Param>> keys;
  RETURN_IF_ERROR(tx.Query(kOldEvents, {before, limit}, [&](const db::Row& row) {
    keys.push_back({row.Int64(1), row.String(2)});
  }));
  uint64_t deleted = 0;
  RETURN_IF_ERROR(db::ForEachBatch(keys.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    for (size_t i = begin; i < begin + size; ++i) {
      params.insert(params.end(), keys[i].begin(), keys[i].end());
    }
    ASSIGN_OR_RETURN(
        const uint64_t rows,
        tx.Execute(absl::StrCat("DELETE FROM progress_event WHERE ", db::OrOf(kDeleteEvent, size)),
                   params));
    deleted += rows;
    return absl::OkStatus();
  }));
  return deleted;
}

}  // namespace lms::progress
