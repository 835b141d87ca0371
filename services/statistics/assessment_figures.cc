#include "services/statistics/assessment_figures.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "services/statistics/day_bounds.h"

namespace lms::statistics {
namespace {

// Graded (2), not practice (3).
constexpr char kAttempts[] =
    "SELECT id, member_id, points, total_points, passed FROM attempt WHERE state = 2"
    " AND paper_kind <> 3 AND submit_time < ? AND (? = 0 OR paper_id = ?) AND member_id IN (";
constexpr char kAnswers[] =
    "SELECT question_id, COUNT(*), SUM(correct) FROM attempt_question WHERE correct IS NOT NULL"
    " AND attempt_id IN (";
constexpr char kAnswersSuffix[] = ") GROUP BY question_id";
constexpr char kCategories[] = "SELECT id, content_category FROM question WHERE id IN (";
constexpr char kStems[] =
    "SELECT q.id, v.stem FROM question q JOIN question_version v ON v.question_id = q.id AND"
    " v.version = q.version WHERE q.id IN (";

constexpr int kMostMissed = 10;
constexpr int64_t kMinAnswered = 5;

}  // namespace

absl::StatusOr<AssessmentFigures> AttemptsTaken(db::Transaction& tx,
                                                const std::vector<int64_t>& member_ids,
                                                absl::CivilDay day, int64_t paper_id) {
  AssessmentFigures figures;
  std::vector<int64_t> attempt_ids;
  std::set<int64_t> attempted;
  std::set<int64_t> passed;
  RETURN_IF_ERROR(
      db::QueryForIds(tx, kAttempts, ")", {EndOfChinaDay(day), paper_id, paper_id}, member_ids,
                      [&](const db::Row& row) {
                        attempt_ids.push_back(row.Int64(1));
                        attempted.insert(row.Int64(2));
                        if (row.Int64(5) != 0) passed.insert(row.Int64(2));
                        const int64_t total = row.Int64(4);
                        const int64_t percent = total > 0 ? row.Int64(3) * 100 / total : 0;
                        ++figures.score_buckets[std::clamp<int64_t>(percent / 10, 0, 9)];
                      }));
  figures.attempts = static_cast<int64_t>(attempt_ids.size());
  figures.members_attempted = static_cast<int64_t>(attempted.size());
  figures.members_passed = static_cast<int64_t>(passed.size());

  std::map<int64_t, std::pair<int64_t, int64_t>> by_question;  // answered, right
  RETURN_IF_ERROR(
      db::QueryForIds(tx, kAnswers, kAnswersSuffix, {}, attempt_ids, [&](const db::Row& row) {
        auto& [answered, right] = by_question[row.Int64(1)];
        answered += row.Int64(2);
        right += row.Int64(3);
      }));
  std::vector<int64_t> question_ids;
  for (const auto& [id, counts] : by_question) question_ids.push_back(id);
  std::map<int, ContentCategoryFigures> by_category;
  RETURN_IF_ERROR(db::QueryForIds(tx, kCategories, ")", {}, question_ids, [&](const db::Row& row) {
    const int category = static_cast<int>(row.Int64(2));
    ContentCategoryFigures& figures_of = by_category[category];
    figures_of.content_category = category;
    figures_of.answered += by_question[row.Int64(1)].first;
    figures_of.right += by_question[row.Int64(1)].second;
  }));
  // Weakest: the lowest share right, compared exactly (a/b < c/d as a*d < c*b).
  const auto weaker = [](int64_t right_a, int64_t answered_a, int64_t right_b, int64_t answered_b) {
    return right_a * answered_b < right_b * answered_a;
  };
  for (const auto& [category, row] : by_category) figures.content_categories.push_back(row);
  std::stable_sort(figures.content_categories.begin(), figures.content_categories.end(),
                   [&](const ContentCategoryFigures& a, const ContentCategoryFigures& b) {
                     return weaker(a.right, a.answered, b.right, b.answered);
                   });
  for (const auto& [id, counts] : by_question) {
    if (counts.first < kMinAnswered) continue;
    figures.most_missed.push_back({id, "", counts.first, counts.second});
  }
  std::stable_sort(figures.most_missed.begin(), figures.most_missed.end(),
                   [&](const MissedQuestion& a, const MissedQuestion& b) {
                     return weaker(a.right, a.answered, b.right, b.answered);
                   });
  if (figures.most_missed.size() > kMostMissed) figures.most_missed.resize(kMostMissed);
  std::vector<int64_t> shown;
  for (const MissedQuestion& question : figures.most_missed) shown.push_back(question.question_id);
  std::map<int64_t, std::string> stems;
  RETURN_IF_ERROR(db::QueryForIds(tx, kStems, ")", {}, shown, [&](const db::Row& row) {
    stems[row.Int64(1)] = row.String(2);
  }));
  for (MissedQuestion& question : figures.most_missed) question.stem = stems[question.question_id];
  return figures;
}

}  // namespace lms::statistics
