#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "services/assessment/answer.h"
#include "services/assessment/exam_lease.h"
#include "services/assessment/paper.h"
#include "services/assessment/question.h"

namespace lms::assessment {

// Numbers equal lms.v1.AttemptState.
enum class AttemptState : int {
  kUnspecified = 0,
  kOpen = 1,
  kGraded = 2,
};

// One question an attempt drew, with the member's answer and its grading.
struct AttemptQuestion {
  // From 1, in the attempt's order.
  int32_t position = 0;
  int64_t question_id = 0;
  int64_t question_version = 0;
  int32_t points = 0;
  // The option ids in this attempt's order (empty without options).
  std::vector<int32_t> option_order;
  // nullopt: unanswered.
  std::optional<Answer> answer;
  // Practice quizzes: its key was shown, so its answer is final.
  bool feedback_shown = false;
  // Set once graded.
  bool correct = false;
  int32_t points_awarded = 0;
  // The version drawn (type, stem, options, key), when loaded.
  Question question;
};

struct Attempt {
  int64_t id = 0;
  int64_t paper_id = 0;
  int64_t member_id = 0;
  int32_t number = 0;
  AttemptState state = AttemptState::kUnspecified;
  PaperKind paper_kind = PaperKind::kUnspecified;
  int64_t paper_version = 0;
  absl::Time start_time = absl::InfinitePast();
  // InfinitePast: untimed.
  absl::Time deadline = absl::InfinitePast();
  int32_t grace_seconds = 0;
  int64_t save_sequence = 0;
  int32_t total_points = 0;
  int32_t pass_points = 0;
  int32_t points = 0;
  bool passed = false;
  absl::Time submit_time = absl::InfinitePast();
  bool graded_by_server = false;
  bool late_answers_refused = false;
  int64_t hours_credited = 0;
  int64_t kiosk_id = 0;
  // Leased to a kiosk: answered there offline and uploaded, never saved or submitted
  // online. Its deadline is the lease's upload deadline (grace 0).
  bool leased = false;
  // The lease's terms and fate, when loaded (GetAttempt).
  std::optional<ExamLease> lease;
  std::vector<AttemptQuestion> questions;

  [[nodiscard]] bool timed() const { return deadline != absl::InfinitePast(); }
  // The last moment an answer counts: the deadline plus grace (InfiniteFuture untimed).
  [[nodiscard]] absl::Time due() const {
    return timed() ? deadline + absl::Seconds(grace_seconds) : absl::InfiniteFuture();
  }
  [[nodiscard]] bool graded() const { return state == AttemptState::kGraded; }
};

// A member's standing on a paper: the row every start of theirs locks, the override
// totals, the result under the paper's score policy.
struct Standing {
  int64_t paper_id = 0;
  int64_t member_id = 0;
  int32_t attempts_started = 0;
  int64_t open_attempt_id = 0;
  int32_t extra_attempts = 0;
  int32_t extra_seconds = 0;
  int64_t result_attempt_id = 0;
  int32_t result_points = 0;
  bool passed = false;
  int64_t credit_id = 0;
};

}  // namespace lms::assessment
