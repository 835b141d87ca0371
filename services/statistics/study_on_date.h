#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

// A member's self-study by the end of a day.
struct StudyOnDate {
  // Effective study time credited in the year (after the anti-cheat rules), in ms.
  int64_t credited_ms = 0;
  // The latest study by then, in any year.
  absl::Time last_study = absl::InfinitePast();
};

// For each of `member_ids` who studied by the end of `day` (China time), counting only
// events the server had received by `received_by` (InfiniteFuture: all): the year's
// credited time and the last study. Members who never studied are absent. Events are
// dated by their happen time (the device's clock corrected), as progress credits them.
[[nodiscard]] absl::StatusOr<std::map<int64_t, StudyOnDate>> StudyByDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

}  // namespace lms::statistics
