#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/progress/interval_set.h"

namespace lms::progress {

// A stretch of wall-clock time (ms since the epoch, half-open) a member's events claimed
// for one lesson, within one China day.
struct ClaimedPiece {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t lesson_id = 0;
};

// The time newly claimed for a lesson on one China day.
struct DayClaim {
  absl::CivilDay day;
  int64_t ms = 0;
};

// A member's claimed wall-clock time around a batch of events: the pieces stored before,
// plus what the batch claims. Each millisecond is claimed once, by the first event stored
// that covers it, whatever lesson or device it came from: so a member's credited time
// never exceeds the time they claimed, and two devices or two lessons at once earn the
// time once. Pieces are cut at China midnight (the daily caps count per day), and a new
// piece that continues one of the same lesson extends it. Value type; not thread-safe.
class StudyTimeClaims {
 public:
  // `stored`: the member's stored pieces that could touch the batch, in any order.
  explicit StudyTimeClaims(const std::vector<ClaimedPiece>& stored);

  // Claims what is still free of [start_ms, end_ms) for `lesson_id`; returns it by day.
  std::vector<DayClaim> Claim(int64_t lesson_id, Interval wanted);

  // Pieces created or extended since construction, to be written back (keyed by start).
  [[nodiscard]] std::vector<ClaimedPiece> Changed() const;

  // The China day a millisecond falls on.
  [[nodiscard]] static absl::CivilDay DayOf(int64_t ms);

 private:
  void Store(int64_t lesson_id, Interval piece);

  std::map<int64_t, ClaimedPiece> pieces_;  // by start
  std::map<int64_t, bool> changed_;         // starts of pieces to write back
};

}  // namespace lms::progress
