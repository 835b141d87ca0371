// "My learning" puts what is most urgent first: overdue (longest first), then required by
// due date, undated required after dated, then electives; finished and ended enrolments
// are left out, and the list is bounded for a phone on a weak network.

#include "services/enrollment/learning_order.h"

#include <gtest/gtest.h>

namespace lms::enrollment {
namespace {

const absl::CivilDay kToday(2026, 11, 30);

std::vector<int64_t> Ids(const std::vector<LearningEntry>& entries) {
  std::vector<int64_t> ids;
  for (const LearningEntry& entry : entries) ids.push_back(entry.enrollment_id);
  return ids;
}

TEST(LearningOrderTest, OverdueThenSoonestThenUndatedThenElectives) {
  const std::vector<LearningEntry> entries = {
      {1, 101, false, std::nullopt, EnrollmentState::kInProgress},                 // elective
      {2, 102, true, absl::CivilDay(2026, 12, 31), EnrollmentState::kNotStarted},  // due later
      {3, 103, true, absl::CivilDay(2026, 10, 1), EnrollmentState::kInProgress},   // overdue
      {4, 104, true, absl::CivilDay(2026, 12, 5), EnrollmentState::kNotStarted},   // due soon
      {5, 105, true, std::nullopt, EnrollmentState::kNotStarted},                  // undated
      {6, 106, true, absl::CivilDay(2026, 6, 1), EnrollmentState::kNotStarted},    // overdue longer
      {7, 107, true, absl::CivilDay(2026, 6, 1), EnrollmentState::kCompleted},     // done
      {8, 108, true, absl::CivilDay(2026, 12, 1), EnrollmentState::kWaived},       // excused
      {9, 109, false, std::nullopt, EnrollmentState::kWithdrawn},                  // withdrawn
      {10, 110, true, absl::CivilDay(2026, 11, 30), EnrollmentState::kNotStarted}};  // due today
  const std::vector<LearningEntry> ordered = OrderByUrgency(entries, kToday);
  EXPECT_EQ(Ids(ordered), (std::vector<int64_t>{6, 3, 10, 4, 2, 5, 1}));
  EXPECT_EQ(ordered[0].state, EnrollmentState::kOverdue);
  EXPECT_EQ(ordered[2].state, EnrollmentState::kNotStarted);  // due today is not overdue yet
}

TEST(LearningOrderTest, TheListIsBounded) {
  std::vector<LearningEntry> many;
  for (int64_t i = 1; i <= 500; ++i) {
    many.push_back({i, i, true, kToday + static_cast<int>(i), EnrollmentState::kNotStarted});
  }
  const std::vector<LearningEntry> ordered = OrderByUrgency(many, kToday);
  ASSERT_EQ(ordered.size(), kMaxLearningItems);
  EXPECT_EQ(ordered.front().enrollment_id, 1);
  EXPECT_EQ(ordered.back().enrollment_id, static_cast<int64_t>(kMaxLearningItems));
}

}  // namespace
}  // namespace lms::enrollment
