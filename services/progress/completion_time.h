#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "services/progress/lesson_measure.h"

namespace lms::progress {

// One stored event of a lesson, as the replay needs it.
struct StudiedSegment {
  absl::Time happened;
  int32_t from_position = 0;
  int32_t to_position = 0;
  int32_t active_seconds = 0;
};

// When a lesson was completed: the time of the first event, in the order they happened,
// by which the lesson's own events meet its rule. Completion is detected when the event
// that tips it arrives, which may be an older event synced late; dating it by this replay
// instead makes the completion time (and the year a course's hours count for) the same
// whatever order the events arrived in. nullopt when the segments never meet the rule
// (their older part compacted away).
[[nodiscard]] std::optional<absl::Time> FirstCompletionTime(
    const std::vector<StudiedSegment>& in_order, const LessonMeasure& measure, int64_t lesson_id);

}  // namespace lms::progress
