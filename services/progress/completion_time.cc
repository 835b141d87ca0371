#include "services/progress/completion_time.h"

#include "services/progress/lesson_time.h"
#include "services/progress/study_time_claims.h"

namespace lms::progress {

std::optional<absl::Time> FirstCompletionTime(const std::vector<StudiedSegment>& in_order,
                                              const LessonMeasure& measure, int64_t lesson_id) {
  StudyTimeClaims claims({});
  IntervalSet coverage;
  LessonTime time;
  for (const StudiedSegment& segment : in_order) {
    const int64_t end_ms = absl::ToUnixMillis(segment.happened);
    int64_t claimed_ms = 0;
    for (const DayClaim& claim :
         claims.Claim(lesson_id, {end_ms - int64_t{segment.active_seconds} * 1000, end_ms})) {
      time.Add(claim.day, claim.ms);
      claimed_ms += claim.ms;
    }
    coverage.Add(measure.Reachable(measure.SegmentUnits(segment.from_position, segment.to_position),
                                   claimed_ms));
    if (measure.Check(coverage.Measure(), time.wall_ms()).met()) return segment.happened;
  }
  return std::nullopt;
}

}  // namespace lms::progress
