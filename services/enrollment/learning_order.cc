#include "services/enrollment/learning_order.h"

#include <algorithm>
#include <tuple>

namespace lms::enrollment {
namespace {

bool IsOpen(EnrollmentState state) {
  return state == EnrollmentState::kNotStarted || state == EnrollmentState::kInProgress ||
         state == EnrollmentState::kOverdue;
}

// Sort key: group (0 overdue, 1 required, 2 elective), then due date (undated last), id.
std::tuple<int, bool, absl::CivilDay, int64_t> Urgency(const LearningEntry& entry) {
  const int group = entry.state == EnrollmentState::kOverdue ? 0 : entry.required ? 1 : 2;
  return {group, !entry.due_date.has_value(), entry.due_date.value_or(absl::CivilDay()),
          entry.enrollment_id};
}

}  // namespace

EnrollmentState StateOn(const LearningEntry& entry, absl::CivilDay today) {
  if (entry.required && entry.due_date.has_value() && *entry.due_date < today &&
      (entry.state == EnrollmentState::kNotStarted ||
       entry.state == EnrollmentState::kInProgress)) {
    return EnrollmentState::kOverdue;
  }
  return entry.state;
}

std::vector<LearningEntry> OrderByUrgency(std::vector<LearningEntry> entries,
                                          absl::CivilDay today) {
  std::vector<LearningEntry> open;
  open.reserve(entries.size());
  for (LearningEntry& entry : entries) {
    entry.state = StateOn(entry, today);
    if (IsOpen(entry.state)) open.push_back(std::move(entry));
  }
  std::sort(open.begin(), open.end(),
            [](const LearningEntry& a, const LearningEntry& b) { return Urgency(a) < Urgency(b); });
  if (open.size() > kMaxLearningItems) open.resize(kMaxLearningItems);
  return open;
}

}  // namespace lms::enrollment
