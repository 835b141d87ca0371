#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/statistics_queue.h"
#include "services/progress/completion_time.h"
#include "services/progress/progress.h"
#include "services/progress/study_time_claims.h"

namespace lms::progress {

// An accepted event as stored, with what the server made of it.
struct StoredEvent {
  int64_t member_id = 0;
  const ProgressEvent* event = nullptr;
  absl::Time receive_time = absl::InfinitePast();
  absl::Time happen_time = absl::InfinitePast();
  int64_t credited_ms = 0;
  int64_t rule_version = 0;
};

// An event a member sends, to look up.
struct MemberEvent {
  int64_t member_id = 0;
  const ProgressEvent* event = nullptr;
};

// The events already stored among a batch's: (member, event id), and the device sequence
// numbers in use, (member, device, sequence) -> event id.
struct KnownEvents {
  std::set<std::pair<int64_t, std::string>> event_ids;
  std::map<std::tuple<int64_t, std::string, int64_t>, std::string> sequences;
};

// A claimed piece of a member's wall-clock time.
struct MemberPiece {
  int64_t member_id = 0;
  ClaimedPiece piece;
};

// (member, lesson) and (member, course) keys.
using MemberKey = std::pair<int64_t, int64_t>;

// What a batch reads once its members are locked.
struct BatchReads {
  // Each member's last checkpoint (members with no lesson yet: absent).
  std::map<int64_t, int64_t> checkpoints;
  std::map<MemberKey, LessonProgress> lessons;
  std::map<int64_t, std::vector<ClaimedPiece>> pieces;
};

// SQL for the progress tables: member_progress (the member's lock and checkpoint),
// progress_event, study_interval, lesson_progress and course_progress. Writes are
// multi-row statements of up to 1,000 rows. Stateless; thread-safe.
class ProgressRepository {
 public:
  // Locks the members' progress rows (creating them), in member order. Every progress
  // write starts here, so one member's writes apply one at a time, and batches of several
  // members lock in the same order (no deadlock between them).
  [[nodiscard]] absl::Status LockMembers(db::Transaction& tx,
                                         const std::set<int64_t>& members) const;
  // In one round trip: the members' checkpoints, the stored states of `lessons` (member,
  // lesson), and each member's claimed pieces starting within its window.
  [[nodiscard]] absl::StatusOr<BatchReads> ReadBatch(
      db::Transaction& tx, const std::set<int64_t>& members, const std::set<MemberKey>& lessons,
      const std::map<int64_t, Interval>& windows) const;
  [[nodiscard]] absl::StatusOr<KnownEvents> Known(db::Transaction& tx,
                                                  const std::vector<MemberEvent>& events) const;
  [[nodiscard]] absl::Status InsertEvents(db::Transaction& tx,
                                          const std::vector<StoredEvent>& events) const;

  // A lesson's stored events of a member, in the order they happened (then device,
  // sequence and id, as the recorder applies them).
  [[nodiscard]] absl::StatusOr<std::vector<StudiedSegment>> LessonEvents(db::Transaction& tx,
                                                                         int64_t member_id,
                                                                         int64_t lesson_id) const;

  [[nodiscard]] absl::Status SavePieces(db::Transaction& tx,
                                        const std::vector<MemberPiece>& pieces) const;

  [[nodiscard]] absl::StatusOr<std::vector<LessonProgress>> LessonsOfCourse(
      db::Transaction& tx, int64_t member_id, int64_t course_id) const;
  // Lessons changed after `checkpoint`, oldest change first, at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<LessonProgress>> ChangedSince(db::Transaction& tx,
                                                                         int64_t member_id,
                                                                         int64_t checkpoint,
                                                                         int limit) const;
  [[nodiscard]] absl::Status SaveLessons(db::Transaction& tx,
                                         const std::vector<const LessonProgress*>& lessons) const;

  [[nodiscard]] absl::StatusOr<std::optional<CourseProgress>> Course(db::Transaction& tx,
                                                                     int64_t member_id,
                                                                     int64_t course_id) const;
  // The stored course states among `wanted` (member, course) pairs.
  [[nodiscard]] absl::StatusOr<std::map<MemberKey, CourseProgress>> Courses(
      db::Transaction& tx, const std::set<MemberKey>& wanted) const;
  [[nodiscard]] absl::Status SaveCourse(db::Transaction& tx, const CourseProgress& course) const;
  [[nodiscard]] absl::Status SaveCourses(db::Transaction& tx,
                                         const std::vector<const CourseProgress*>& courses) const;

  [[nodiscard]] absl::StatusOr<bool> MemberExists(db::Transaction& tx, int64_t member_id) const;

  // Deletes up to `limit` events that happened before `before`; returns how many.
  [[nodiscard]] absl::StatusOr<uint64_t> CompactEvents(db::Transaction& tx, absl::Time before,
                                                       int limit) const;

 private:
  // Events and course states queue their members for the statistics rollups.
  const outbox::StatisticsQueue statistics_queue_{};
};

}  // namespace lms::progress
