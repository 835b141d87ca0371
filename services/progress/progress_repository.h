#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/progress/completion_time.h"
#include "services/progress/progress.h"
#include "services/progress/study_time_claims.h"

namespace lms::progress {

// An accepted event as stored, with what the server made of it.
struct StoredEvent {
  const ProgressEvent* event = nullptr;
  absl::Time receive_time = absl::InfinitePast();
  absl::Time happen_time = absl::InfinitePast();
  int64_t credited_ms = 0;
  int64_t rule_version = 0;
};

// The events already stored among a batch's: their ids, and the device sequence numbers
// in use (by event id).
struct KnownEvents {
  std::set<std::string> event_ids;
  std::map<std::pair<std::string, int64_t>, std::string> sequences;
};

// SQL for the progress tables: member_progress (the member's lock and checkpoint),
// progress_event, study_interval, lesson_progress and course_progress. Writes are
// multi-row statements of up to 1,000 rows. Stateless; thread-safe.
class ProgressRepository {
 public:
  // Locks the member's progress row (creating it) and reserves `count` checkpoints;
  // returns the first. Every progress write of a member starts here, so one member's
  // writes apply one at a time.
  [[nodiscard]] absl::StatusOr<int64_t> LockMember(db::Transaction& tx, int64_t member_id,
                                                   int64_t count) const;
  [[nodiscard]] absl::StatusOr<KnownEvents> Known(
      db::Transaction& tx, int64_t member_id,
      const std::vector<const ProgressEvent*>& events) const;
  [[nodiscard]] absl::Status InsertEvents(db::Transaction& tx, int64_t member_id,
                                          const std::vector<StoredEvent>& events) const;

  // The member's claimed pieces starting in [from_ms, to_ms).
  // A lesson's stored events of a member, in the order they happened (then device,
  // sequence and id, as the recorder applies them).
  [[nodiscard]] absl::StatusOr<std::vector<StudiedSegment>> LessonEvents(db::Transaction& tx,
                                                                         int64_t member_id,
                                                                         int64_t lesson_id) const;

  [[nodiscard]] absl::StatusOr<std::vector<ClaimedPiece>> Pieces(db::Transaction& tx,
                                                                 int64_t member_id, int64_t from_ms,
                                                                 int64_t to_ms) const;
  [[nodiscard]] absl::Status SavePieces(db::Transaction& tx, int64_t member_id,
                                        const std::vector<ClaimedPiece>& pieces) const;

  [[nodiscard]] absl::StatusOr<std::map<int64_t, LessonProgress>> Lessons(
      db::Transaction& tx, int64_t member_id, const std::vector<int64_t>& lesson_ids) const;
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
  [[nodiscard]] absl::Status SaveCourse(db::Transaction& tx, const CourseProgress& course) const;

  [[nodiscard]] absl::StatusOr<bool> MemberExists(db::Transaction& tx, int64_t member_id) const;

  // Deletes up to `limit` events that happened before `before`; returns how many.
  [[nodiscard]] absl::StatusOr<uint64_t> CompactEvents(db::Transaction& tx, absl::Time before,
                                                       int limit) const;
};

}  // namespace lms::progress
