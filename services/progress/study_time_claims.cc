#include "services/progress/study_time_claims.h"

#include <algorithm>

namespace lms::progress {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// China Standard Time is UTC+8 all year.
constexpr int64_t kChinaOffsetMs = 8 * 3'600'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The first China midnight after `ms`.
int64_t NextChinaMidnight(int64_t ms) {
  return (FloorDiv(ms + kChinaOffsetMs, kDayMs) + 1) * kDayMs - kChinaOffsetMs;
}

}  // namespace

StudyTimeClaims::StudyTimeClaims(const std::vector<ClaimedPiece>& stored) {
  for (const ClaimedPiece& piece : stored) pieces_[piece.start_ms] = piece;
}

absl::CivilDay StudyTimeClaims::DayOf(int64_t ms) {
  return absl::CivilDay(1970, 1, 1) + FloorDiv(ms + kChinaOffsetMs, kDayMs);
}

std::vector<DayClaim> StudyTimeClaims::Claim(int64_t lesson_id, Interval wanted) {
  IntervalSet taken;
  // Pieces are disjoint, so only the one starting before `wanted` can reach into it.
  auto it = pieces_.upper_bound(wanted.begin);
  if (it != pieces_.begin()) --it;
  for (; it != pieces_.end() && it->first < wanted.end; ++it) {
    taken.Add({it->second.start_ms, it->second.end_ms});
  }
  std::vector<DayClaim> claims;
  for (const Interval& free : taken.Missing(wanted)) {
    for (int64_t start = free.begin; start < free.end;) {
      const int64_t end = std::min(free.end, NextChinaMidnight(start));
      Store(lesson_id, {start, end});
      const absl::CivilDay day = DayOf(start);
      if (!claims.empty() && claims.back().day == day) {
        claims.back().ms += end - start;
      } else {
        claims.push_back({day, end - start});
      }
      start = end;
    }
  }
  return claims;
}

void StudyTimeClaims::Store(int64_t lesson_id, Interval piece) {
  // Extend the piece this one continues, when it is the same lesson on the same day.
  auto before = pieces_.lower_bound(piece.begin);
  if (before != pieces_.begin()) {
    --before;
    ClaimedPiece& previous = before->second;
    if (previous.end_ms == piece.begin && previous.lesson_id == lesson_id &&
        DayOf(previous.start_ms) == DayOf(piece.begin)) {
      previous.end_ms = piece.end;
      changed_[previous.start_ms] = true;
      return;
    }
  }
  pieces_[piece.begin] = ClaimedPiece{piece.begin, piece.end, lesson_id};
  changed_[piece.begin] = true;
}

std::vector<ClaimedPiece> StudyTimeClaims::Changed() const {
  std::vector<ClaimedPiece> changed;
  changed.reserve(changed_.size());
  for (const auto& [start, unused] : changed_) changed.push_back(pieces_.at(start));
  return changed;
}

}  // namespace lms::progress
