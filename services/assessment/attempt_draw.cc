#include "services/assessment/attempt_draw.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/assessment/paper_validation.h"

namespace lms::assessment {

absl::StatusOr<std::vector<AttemptQuestion>> DrawQuestions(const PaperSettings& settings,
                                                           const DrawPools& pools,
                                                           std::mt19937_64& random) {
  std::vector<AttemptQuestion> drawn;
  auto add = [&](const QuestionVersionKey& key, QuestionType type) {
    AttemptQuestion question;
    question.question_id = key.first;
    question.question_version = key.second;
    const auto points = settings.type_points.find(type);
    question.points = points == settings.type_points.end() ? 0 : points->second;
    question.question.type = type;
    drawn.push_back(std::move(question));
  };
  if (!settings.fixed_question_ids.empty()) {
    for (const auto& [key, type] : pools.fixed) add(key, type);
    if (settings.shuffle_questions) std::shuffle(drawn.begin(), drawn.end(), random);
  } else {
    std::set<int64_t> taken;
    for (size_t r = 0; r < settings.draw_rules.size(); ++r) {
      const DrawRule& rule = settings.draw_rules[r];
      std::vector<QuestionVersionKey> pool =
          r < pools.per_rule.size() ? pools.per_rule[r] : std::vector<QuestionVersionKey>{};
      // Rules do not overlap; this only guards the promise if a bank ever breaks it.
      pool.erase(
          std::remove_if(pool.begin(), pool.end(),
                         [&](const QuestionVersionKey& key) { return taken.count(key.first) > 0; }),
          pool.end());
      if (static_cast<int64_t>(pool.size()) < rule.count) {
        return absl::FailedPreconditionError(absl::StrCat(
            "draw_rules[", r, "] (", DescribeRule(rule), ") draws ", rule.count,
            " questions but the banks now have ", pool.size(),
            " active ones: an admin must add questions before this paper can be taken"));
      }
      // A partial Fisher-Yates: the first `count` are a uniform sample without replacement.
      for (int32_t i = 0; i < rule.count; ++i) {
        std::uniform_int_distribution<size_t> pick(static_cast<size_t>(i), pool.size() - 1);
        std::swap(pool[static_cast<size_t>(i)], pool[pick(random)]);
        taken.insert(pool[static_cast<size_t>(i)].first);
        add(pool[static_cast<size_t>(i)], rule.type);
      }
    }
    std::shuffle(drawn.begin(), drawn.end(), random);
  }
  for (size_t i = 0; i < drawn.size(); ++i) drawn[i].position = static_cast<int32_t>(i) + 1;
  return drawn;
}

void ShuffleOptions(std::vector<AttemptQuestion>& questions, std::mt19937_64& random) {
  for (AttemptQuestion& question : questions) {
    question.option_order.clear();
    for (const QuestionOption& option : question.question.content.options) {
      question.option_order.push_back(option.id);
    }
    if (!question.question.content.fixed_option_order) {
      std::shuffle(question.option_order.begin(), question.option_order.end(), random);
    }
  }
}

}  // namespace lms::assessment
