#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/progress/progress.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// An event's fields on their own (ids, sequence, active seconds, times): a message naming
// the first bad field, or nullopt. Positions are checked against the lesson later.
[[nodiscard]] std::optional<std::string> EventFieldProblem(const ProgressEvent& event);

// When an event happened by the server's clock: its occur time, corrected by the device's
// clock error (receive time minus sent time) when that error exceeds the skew allowance.
// Within the allowance the device's clock is trusted as it is, so an honest device with a
// good clock gets the same times however late its events are re-sent. To the microsecond.
[[nodiscard]] absl::Time HappenTime(const ProgressEvent& event, absl::Time received,
                                    const ProgressRules& rules);

// FUTURE, TOO_OLD, or kNone for an event that happened at `happened`.
[[nodiscard]] EventRejection TimingRejection(absl::Time happened, absl::Time received,
                                             const ProgressRules& rules);

}  // namespace lms::progress
