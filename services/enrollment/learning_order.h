#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"

namespace lms::enrollment {

// Where an enrolment stands; numbers equal lms.v1.EnrollmentState. Completed comes from
// the progress service; overdue is derived from the due date; the rest are set here.
enum class EnrollmentState : int {
  kUnspecified = 0,
  kNotStarted = 1,
  kInProgress = 2,
  kCompleted = 3,
  kOverdue = 4,
  kWithdrawn = 5,
  kTransferredOut = 6,
  kWaived = 7,
};

// One enrolment as "my learning" lists it.
struct LearningEntry {
  int64_t enrollment_id = 0;
  int64_t course_id = 0;
  bool required = false;
  std::optional<absl::CivilDay> due_date;
  EnrollmentState state = EnrollmentState::kNotStarted;
};

inline constexpr size_t kMaxLearningItems = 200;

// The state shown on `today`: a required enrolment not completed, past its due date, is
// overdue; the others as stored.
[[nodiscard]] EnrollmentState StateOn(const LearningEntry& entry, absl::CivilDay today);

// A member's open enrolments (not completed, withdrawn, transferred out or waived) by
// urgency: overdue first (longest overdue first), then required by due date (soonest
// first, undated last), then electives; ties by enrolment id. At most kMaxLearningItems,
// with states as on `today`.
[[nodiscard]] std::vector<LearningEntry> OrderByUrgency(std::vector<LearningEntry> entries,
                                                        absl::CivilDay today);

}  // namespace lms::enrollment
