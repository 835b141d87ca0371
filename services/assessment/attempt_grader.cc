#include "services/assessment/attempt_grader.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/assessment/answer_grading.h"

namespace lms::assessment {

absl::Status AttemptGrader::LoadQuestions(db::Transaction& tx, Attempt& attempt) const {
  ASSIGN_OR_RETURN(attempt.questions, attempts_.Questions(tx, attempt.id));
  std::vector<QuestionVersionKey> keys;
  for (const AttemptQuestion& question : attempt.questions) {
    keys.emplace_back(question.question_id, question.question_version);
  }
  ASSIGN_OR_RETURN(const auto versions, versions_.Get(tx, keys));
  for (AttemptQuestion& question : attempt.questions) {
    const auto found = versions.find({question.question_id, question.question_version});
    if (found == versions.end()) {
      return absl::InternalError(absl::StrCat("attempt ", attempt.id, " drew question ",
                                              question.question_id, " version ",
                                              question.question_version, ", which is missing"));
    }
    question.question = found->second;
  }
  return absl::OkStatus();
}

absl::Status AttemptGrader::Grade(db::Transaction& tx, const Paper& paper, Attempt& attempt,
                                  Standing& standing, absl::Time submit_time, bool by_server,
                                  absl::Time now) const {
  int32_t points = 0;
  for (AttemptQuestion& question : attempt.questions) {
    const assessment::Grade grade = GradeAnswer(
        question.question.type, question.question.content.key, question.answer.value_or(Answer{}),
        question.points, paper.settings.partial_credit);
    question.correct = grade.correct;
    question.points_awarded = grade.points_awarded;
    points += grade.points_awarded;
  }
  attempt.state = AttemptState::kGraded;
  attempt.points = points;
  attempt.passed = points >= attempt.pass_points;
  attempt.submit_time = submit_time;
  attempt.graded_by_server = by_server;

  if (standing.open_attempt_id == attempt.id) standing.open_attempt_id = 0;
  const bool replaces = paper.settings.score_policy == ScorePolicy::kLast ||
                        standing.result_attempt_id == 0 || points > standing.result_points;
  if (replaces) {
    standing.result_attempt_id = attempt.id;
    standing.result_points = points;
  }
  standing.passed = paper.settings.score_policy == ScorePolicy::kLast
                        ? attempt.passed
                        : standing.passed || attempt.passed;
  RETURN_IF_ERROR(pass_.Apply(tx, paper, attempt, standing, now));
  RETURN_IF_ERROR(attempts_.SaveGrading(tx, attempt));
  RETURN_IF_ERROR(attempts_.SaveHeader(tx, attempt));
  RETURN_IF_ERROR(attempts_.SaveStanding(tx, standing));
  return attempts_.QueueForStats(tx, attempt.id, now);
}

}  // namespace lms::assessment
