#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/assessment/answer.h"

namespace lms::assessment {

struct QuestionStat {
  int64_t question_id = 0;
  int64_t attempts = 0;
  int64_t answered = 0;
  int64_t correct = 0;
  // nullopt: no wrong answer given.
  std::optional<Answer> most_common_wrong;
  int64_t most_common_wrong_count = 0;
};

struct QuestionStatPage {
  std::vector<QuestionStat> questions;
  std::string next_page_token;
  // Graded attempts up to this time are counted.
  absl::Time computed_through = absl::InfinitePast();
};

// Per-question statistics of papers, without a row every submit updates: grading queues
// the attempt (question_stat_queue, in the grading's transaction); the task
// "assessment_question_stats" folds queued attempts into per-answer counts and deletes
// them from the queue in one transaction (crash-safe: none counted twice or skipped, in
// whatever order gradings committed). The lag is the task's period (a minute) plus a
// batch. Thread-safe.
class QuestionStats {
 public:
  QuestionStats(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Folds up to `limit` queued attempts; returns how many.
  [[nodiscard]] absl::StatusOr<int> RunOnce(absl::Time deadline, int limit = 500) const;
  [[nodiscard]] absl::StatusOr<QuestionStatPage> List(const call::CallContext& call,
                                                      int64_t paper_id, int page_size,
                                                      const std::string& page_token) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
};

}  // namespace lms::assessment
