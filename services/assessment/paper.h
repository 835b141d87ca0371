#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/categories.h"
#include "services/assessment/question.h"

namespace lms::assessment {

// Numbers equal lms.v1.PaperKind.
enum class PaperKind : int {
  kUnspecified = 0,
  kFinalTest = 1,
  kPeriodicTest = 2,
  kPracticeQuiz = 3,
};
inline constexpr int kMaxPaperKind = 3;

// Numbers equal lms.v1.PaperState.
enum class PaperState : int {
  kUnspecified = 0,
  kDraft = 1,
  kPublished = 2,
  kClosed = 3,
};

// Numbers equal lms.v1.ScorePolicy.
enum class ScorePolicy : int {
  kUnspecified = 0,
  kBest = 1,
  kLast = 2,
};

// Numbers equal lms.v1.ReviewPolicy.
enum class ReviewPolicy : int {
  kUnspecified = 0,
  kAfterSubmit = 1,
  kAfterClose = 2,
  kNever = 3,
};

inline constexpr int32_t kDefaultGraceSeconds = 60;

// Draws `count` active questions of `type`, of `content_category` (unspecified: any) and
// `difficulty` (0: any), from the banks the paper may use.
struct DrawRule {
  QuestionType type = QuestionType::kUnspecified;
  ContentCategory content_category = ContentCategory::kUnspecified;
  int32_t difficulty = 0;
  int32_t count = 0;

  // Whether a question of these could match this rule.
  [[nodiscard]] bool Matches(QuestionType t, ContentCategory c, int32_t d) const {
    return t == type &&
           (content_category == ContentCategory::kUnspecified || content_category == c) &&
           (difficulty == 0 || difficulty == d);
  }
};

// What an admin sets on a paper.
struct PaperSettings {
  std::string title;
  std::string description;
  ContentCategory content_category = ContentCategory::kUnspecified;
  std::vector<int64_t> fixed_question_ids;
  std::vector<DrawRule> draw_rules;
  bool shuffle_questions = false;
  // Points per question of each type.
  std::map<QuestionType, int32_t> type_points;
  int32_t pass_points = 0;
  bool partial_credit = false;
  // 0: untimed.
  int32_t time_limit_seconds = 0;
  int32_t grace_seconds = kDefaultGraceSeconds;
  // 0: unlimited.
  int32_t max_attempts = 0;
  // InfinitePast: unset.
  absl::Time open_time = absl::InfinitePast();
  absl::Time close_time = absl::InfinitePast();
  ScorePolicy score_policy = ScorePolicy::kBest;
  ReviewPolicy review_policy = ReviewPolicy::kAfterSubmit;
};

struct Paper {
  int64_t id = 0;
  int64_t organization_id = 0;
  PaperKind kind = PaperKind::kUnspecified;
  // A final test's course; a periodic test's plan (0 otherwise).
  int64_t course_id = 0;
  int64_t plan_id = 0;
  PaperState state = PaperState::kUnspecified;
  int64_t version = 0;
  PaperSettings settings;
  int32_t total_points = 0;
  // What a pass credits, fixed when published, and the settings change it came from.
  int64_t hours_hundredths = 0;
  int64_t hours_rule_version = 0;
  int64_t created_by = 0;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  absl::Time publish_time = absl::InfinitePast();
  absl::Time closed_time = absl::InfinitePast();

  [[nodiscard]] bool practice() const { return kind == PaperKind::kPracticeQuiz; }
  // Whether attempts may start at `now`: published and within the window.
  [[nodiscard]] bool OpenAt(absl::Time now) const {
    if (state != PaperState::kPublished) return false;
    if (settings.open_time != absl::InfinitePast() && now < settings.open_time) return false;
    return settings.close_time == absl::InfinitePast() || now < settings.close_time;
  }
  // Whether the window has closed (for REVIEW_POLICY_AFTER_CLOSE).
  [[nodiscard]] bool WindowClosedAt(absl::Time now) const {
    return state == PaperState::kClosed ||
           (settings.close_time != absl::InfinitePast() && now >= settings.close_time);
  }
};

}  // namespace lms::assessment
