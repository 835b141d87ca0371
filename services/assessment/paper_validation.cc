#include "services/assessment/paper_validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/validation/field_checks.h"
#include "services/assessment/question_validation.h"

namespace lms::assessment {
namespace {

bool Unset(absl::Time t) { return t == absl::InfinitePast(); }

const char* TypeName(QuestionType type) {
  switch (type) {
    case QuestionType::kSingleChoice:
      return "single choice";
    case QuestionType::kMultipleChoice:
      return "multiple choice";
    case QuestionType::kTrueFalse:
      return "true/false";
    case QuestionType::kFillInBlank:
      return "fill in the blank";
    case QuestionType::kUnspecified:
      break;
  }
  return "unspecified";
}

bool Overlap(const DrawRule& a, const DrawRule& b) {
  return a.type == b.type &&
         (a.content_category == ContentCategory::kUnspecified ||
          b.content_category == ContentCategory::kUnspecified ||
          a.content_category == b.content_category) &&
         (a.difficulty == 0 || b.difficulty == 0 || a.difficulty == b.difficulty);
}

void CheckKind(status::FieldErrors& errors, const std::string& prefix, PaperKind kind,
               int64_t course_id, int64_t plan_id, const PaperSettings& settings) {
  switch (kind) {
    case PaperKind::kFinalTest:
      if (course_id <= 0) errors.Add(prefix + "course_id", "a final test names its course");
      if (plan_id != 0) errors.Add(prefix + "plan_id", "is for periodic tests only");
      break;
    case PaperKind::kPeriodicTest:
      if (plan_id <= 0) errors.Add(prefix + "plan_id", "a periodic test names its plan");
      if (course_id != 0) errors.Add(prefix + "course_id", "is for final tests only");
      if (!IsKnownContentCategory(static_cast<int>(settings.content_category))) {
        errors.Add(prefix + "content_category",
                   "a periodic test names what it examines (its credit's category)");
      }
      if (settings.time_limit_seconds == 0) {
        errors.Add(prefix + "time_limit_seconds", "a periodic test is timed");
      }
      break;
    case PaperKind::kPracticeQuiz:
      if (course_id != 0) errors.Add(prefix + "course_id", "is for final tests only");
      if (plan_id != 0) errors.Add(prefix + "plan_id", "is for periodic tests only");
      if (settings.max_attempts != 0) {
        errors.Add(prefix + "max_attempts", "a practice quiz has unlimited attempts: leave it 0");
      }
      break;
    case PaperKind::kUnspecified:
      errors.Add(prefix + "kind", "must be a paper kind");
      break;
  }
  if (kind != PaperKind::kPeriodicTest &&
      settings.content_category != ContentCategory::kUnspecified &&
      !IsKnownContentCategory(static_cast<int>(settings.content_category))) {
    errors.Add(prefix + "content_category", "must be a content category or unset");
  }
}

void CheckQuestions(status::FieldErrors& errors, const std::string& prefix,
                    const PaperSettings& settings) {
  const bool fixed = !settings.fixed_question_ids.empty();
  const bool drawn = !settings.draw_rules.empty();
  if (fixed == drawn) {
    errors.Add(prefix + "fixed_question_ids",
               "a paper has either fixed questions or draw rules (one of them, not both)");
  }
  if (settings.fixed_question_ids.size() > kMaxPaperQuestions) {
    errors.Add(prefix + "fixed_question_ids",
               absl::StrCat("at most ", kMaxPaperQuestions, " questions"));
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < settings.fixed_question_ids.size(); ++i) {
    const int64_t id = settings.fixed_question_ids[i];
    const std::string field = absl::StrCat(prefix, "fixed_question_ids[", i, "]");
    if (id <= 0) {
      errors.Add(field, "must be a positive id");
    } else if (!seen.insert(id).second) {
      errors.Add(field, "repeats a question: no question twice on a paper");
    }
  }
  if (settings.draw_rules.size() > kMaxDrawRules) {
    errors.Add(prefix + "draw_rules", absl::StrCat("at most ", kMaxDrawRules, " rules"));
  }
  int64_t drawn_total = 0;
  for (size_t i = 0; i < settings.draw_rules.size(); ++i) {
    const DrawRule& rule = settings.draw_rules[i];
    const std::string field = absl::StrCat(prefix, "draw_rules[", i, "]");
    if (!IsKnownQuestionType(static_cast<int>(rule.type))) {
      errors.Add(field + ".type", "must be a question type");
    } else if (settings.type_points.count(rule.type) == 0) {
      errors.Add(prefix + "type_points",
                 absl::StrCat("give points to ", TypeName(rule.type), " questions (", field, ")"));
    }
    if (rule.content_category != ContentCategory::kUnspecified &&
        !IsKnownContentCategory(static_cast<int>(rule.content_category))) {
      errors.Add(field + ".content_category", "must be a content category or unset (any)");
    }
    if (rule.difficulty < 0 || rule.difficulty > kMaxDifficulty) {
      errors.Add(field + ".difficulty", absl::StrCat("must be 0 (any) to ", kMaxDifficulty));
    }
    if (rule.count < 1 || rule.count > static_cast<int32_t>(kMaxPaperQuestions)) {
      errors.Add(field + ".count", absl::StrCat("must be 1 to ", kMaxPaperQuestions));
    } else {
      drawn_total += rule.count;
    }
    for (size_t j = 0; j < i; ++j) {
      if (Overlap(settings.draw_rules[j], rule)) {
        errors.Add(field, absl::StrCat("overlaps draw_rules[", j,
                                       "]: one question could match both; make their categories"
                                       " or difficulties distinct"));
      }
    }
  }
  if (drawn_total > static_cast<int64_t>(kMaxPaperQuestions)) {
    errors.Add(prefix + "draw_rules",
               absl::StrCat("draw at most ", kMaxPaperQuestions, " questions in all"));
  }
}

void CheckScoring(status::FieldErrors& errors, const std::string& prefix,
                  const PaperSettings& settings) {
  for (const auto& [type, points] : settings.type_points) {
    if (!IsKnownQuestionType(static_cast<int>(type))) {
      errors.Add(prefix + "type_points", "names an unknown question type");
    } else if (points < 1 || points > kMaxTypePoints) {
      errors.Add(prefix + "type_points",
                 absl::StrCat(TypeName(type), " points must be 1 to ", kMaxTypePoints));
    }
  }
  if (settings.pass_points < 1) errors.Add(prefix + "pass_points", "must be at least 1");
  if (settings.time_limit_seconds != 0 && (settings.time_limit_seconds < kMinTimeLimitSeconds ||
                                           settings.time_limit_seconds > kMaxTimeLimitSeconds)) {
    errors.Add(prefix + "time_limit_seconds",
               absl::StrCat("must be 0 (untimed) or ", kMinTimeLimitSeconds, " to ",
                            kMaxTimeLimitSeconds));
  }
  if (settings.grace_seconds < 1 || settings.grace_seconds > kMaxGraceSeconds) {
    errors.Add(prefix + "grace_seconds",
               absl::StrCat("must be 0 (the default, ", kDefaultGraceSeconds, ") or 1 to ",
                            kMaxGraceSeconds));
  }
  if (settings.max_attempts < 0 || settings.max_attempts > kMaxAttemptLimit) {
    errors.Add(prefix + "max_attempts",
               absl::StrCat("must be 0 (unlimited) to ", kMaxAttemptLimit));
  }
  if (!Unset(settings.open_time) && !Unset(settings.close_time) &&
      settings.close_time <= settings.open_time) {
    errors.Add(prefix + "close_time", "must be after open_time");
  }
  if (settings.score_policy != ScorePolicy::kBest && settings.score_policy != ScorePolicy::kLast) {
    errors.Add(prefix + "score_policy", "must be a score policy or unset (best)");
  }
  const int review = static_cast<int>(settings.review_policy);
  if (review < 1 || review > 3) {
    errors.Add(prefix + "review_policy", "must be a review policy or unset (after submitting)");
  }
}

}  // namespace

void ApplyPaperDefaults(PaperSettings& settings) {
  if (settings.score_policy == ScorePolicy::kUnspecified)
    settings.score_policy = ScorePolicy::kBest;
  if (settings.review_policy == ReviewPolicy::kUnspecified) {
    settings.review_policy = ReviewPolicy::kAfterSubmit;
  }
  if (settings.grace_seconds == 0) settings.grace_seconds = kDefaultGraceSeconds;
}

void CheckPaper(status::FieldErrors& errors, const std::string& prefix, PaperKind kind,
                int64_t course_id, int64_t plan_id, const PaperSettings& settings) {
  validation::CheckText(errors, prefix + "title", settings.title, 1, kMaxPaperTitle);
  validation::CheckText(errors, prefix + "description", settings.description, 0,
                        kMaxPaperDescription, true);
  CheckKind(errors, prefix, kind, course_id, plan_id, settings);
  CheckQuestions(errors, prefix, settings);
  CheckScoring(errors, prefix, settings);
}

absl::Status CheckPublishedEdit(const PaperSettings& current, const PaperSettings& next) {
  const char* changed = nullptr;
  if (next.content_category != current.content_category) changed = "content_category";
  if (next.fixed_question_ids != current.fixed_question_ids) changed = "fixed_question_ids";
  if (next.draw_rules.size() != current.draw_rules.size()) changed = "draw_rules";
  for (size_t i = 0; changed == nullptr && i < next.draw_rules.size(); ++i) {
    const DrawRule& a = next.draw_rules[i];
    const DrawRule& b = current.draw_rules[i];
    if (a.type != b.type || a.content_category != b.content_category ||
        a.difficulty != b.difficulty || a.count != b.count) {
      changed = "draw_rules";
    }
  }
  if (next.shuffle_questions != current.shuffle_questions) changed = "shuffle_questions";
  if (next.type_points != current.type_points) changed = "type_points";
  if (next.pass_points != current.pass_points) changed = "pass_points";
  if (next.partial_credit != current.partial_credit) changed = "partial_credit";
  if (next.time_limit_seconds != current.time_limit_seconds) changed = "time_limit_seconds";
  if (next.grace_seconds != current.grace_seconds) changed = "grace_seconds";
  if (next.score_policy != current.score_policy) changed = "score_policy";
  if (next.review_policy != current.review_policy) changed = "review_policy";
  if (changed == nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "paper.", changed,
      ": a published paper changes only its title, description, window and attempt limit"
      " (what members drew must stay fair); close it and publish a new paper instead"));
}

std::string DescribeRule(const DrawRule& rule) {
  std::string description = TypeName(rule.type);
  if (rule.content_category != ContentCategory::kUnspecified) {
    absl::StrAppend(&description, ", content category ", static_cast<int>(rule.content_category));
  }
  if (rule.difficulty > 0) absl::StrAppend(&description, ", difficulty ", rule.difficulty);
  return description;
}

}  // namespace lms::assessment
