#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/progress/interval_set.h"
#include "services/progress/lesson_time.h"

namespace lms::progress {

// One stretch of study in one lesson, as a device reported it (lms.v1.ProgressEvent).
struct ProgressEvent {
  std::string event_id;
  int64_t lesson_id = 0;
  absl::Time occur_time = absl::InfinitePast();
  absl::Time sent_time = absl::InfinitePast();
  int32_t from_position = 0;
  int32_t to_position = 0;
  int32_t active_seconds = 0;
  std::string device_id;
  int64_t sequence = 0;
  // A kiosk upload's evidence for it (offline_evidence), 0 for the member's own session.
  int64_t evidence_id = 0;
};

// Numbers equal lms.v1.EventOutcome and lms.v1.EventRejection.
enum class EventOutcome : int {
  kUnspecified = 0,
  kAccepted = 1,
  kDuplicate = 2,
  kRejected = 3,
  kPending = 4,
};
enum class EventRejection : int {
  kNone = 0,
  kMalformed = 1,
  kUnknownLesson = 2,
  kCourseUnavailable = 3,
  kFuture = 4,
  kTooOld = 5,
  kSequenceReused = 6,
  kEvidenceInvalid = 7,
  kEvidenceWrongKiosk = 8,
  kEvidenceWrongMember = 9,
  kMemberNotServed = 10,
};

// Why an offline event waits for confirmation; numbers equal lms.v1.PendingReason.
enum class PendingReason : int {
  kNone = 0,
  kClaimOnly = 1,
  kOutsideEvidence = 2,
  kKeyRevoked = 3,
};

struct EventResult {
  std::string event_id;
  EventOutcome outcome = EventOutcome::kUnspecified;
  EventRejection rejection = EventRejection::kNone;
  std::string detail;
  int64_t credited_ms = 0;
  // kPending: why, and the row to confirm it by.
  PendingReason pending_reason = PendingReason::kNone;
  int64_t pending_id = 0;
};

// A member's state in one lesson (lesson_progress). `coverage` is in the lesson's units;
// `time` is the wall-clock time claimed per China day; credited_ms follows from both.
struct LessonProgress {
  int64_t member_id = 0;
  int64_t lesson_id = 0;
  int64_t course_id = 0;
  int32_t last_position = 0;
  absl::Time last_time = absl::InfinitePast();
  std::string last_device_id;
  IntervalSet coverage;
  LessonTime time;
  int64_t credited_ms = 0;
  std::optional<absl::Time> completion_time;
  int64_t rule_version = 0;
  int64_t checkpoint = 0;
  // Set by the service for replies: the covered share in per-mille.
  int32_t covered_permille = 0;
};

// Numbers equal lms.v1.CompletionKind.
enum class CompletionKind : int { kNone = 0, kStudied = 1, kWaived = 2 };

// A member's state in one course (course_progress): started (the row exists), completed
// when and how.
struct CourseProgress {
  int64_t member_id = 0;
  int64_t course_id = 0;
  int32_t lessons_completed = 0;
  std::optional<absl::Time> completion_time;
  CompletionKind completion_kind = CompletionKind::kNone;
  int64_t completion_rule_version = 0;
  std::string waiver_reason;
  int64_t waived_by = 0;
  // The ledger credit the completion earned now (0: none): a completion re-dated into
  // another year moves to a new credit.
  int64_t credit_id = 0;
  [[nodiscard]] bool completed() const { return completion_time.has_value(); }
};

// What RecordProgress did with a batch.
struct RecordOutcome {
  std::vector<EventResult> results;  // in request order
  std::vector<LessonProgress> lessons;
  std::vector<int64_t> completed_course_ids;
};

// Limits of the contract (proto/lms/v1/progress.proto).
inline constexpr size_t kMaxEventsPerBatch = 5000;
inline constexpr int32_t kMaxActiveSeconds = 3600;
inline constexpr size_t kMaxDeviceIdLength = 64;

}  // namespace lms::progress
