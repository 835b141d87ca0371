#include "services/assessment/attempt_service.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/assessment/answer_checks.h"
#include "services/assessment/attempt_draw.h"
#include "services/assessment/paper_validation.h"

namespace lms::assessment {
namespace {

constexpr char kAttemptPageKind[] = "attempts";
constexpr size_t kMaxAnswersPerSave = 200;
constexpr int32_t kMaxExtraAttempts = 10;
constexpr int32_t kMaxExtraMinutes = 1440;
constexpr size_t kMaxReason = 500;
constexpr int64_t kCoursePublished = 2;

absl::Status NotFound(int64_t attempt_id) {
  return absl::NotFoundError(absl::StrCat("attempt ", attempt_id, " not found"));
}

std::mt19937_64& Random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

// An attempt leased to a kiosk is answered there and uploaded by the kiosk alone: the
// sealed chain is its only record of answers.
absl::Status LeasedElsewhere(const Attempt& attempt) {
  return absl::FailedPreconditionError(
      absl::StrCat("attempt ", attempt.id, " is leased to kiosk ", attempt.kiosk_id,
                   " for an offline exam: it is answered there and uploaded by the kiosk"));
}

absl::Status CheckAnswerSet(const AnswerSet& answers, bool required) {
  status::FieldErrors errors;
  if (required && answers.empty()) errors.Add("answers", "at least one answer");
  if (answers.size() > kMaxAnswersPerSave) {
    errors.Add("answers", absl::StrCat("at most ", kMaxAnswersPerSave, " answers"));
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < answers.size(); ++i) {
    const std::string field = absl::StrCat("answers[", i, "].question_id");
    if (answers[i].first <= 0) {
      errors.Add(field, "must be a positive id");
    } else if (!seen.insert(answers[i].first).second) {
      errors.Add(field, "answers a question twice");
    }
  }
  return errors.ToStatus();
}

int32_t AttemptsLeft(const Paper& paper, const Standing& standing) {
  if (paper.practice() || paper.settings.max_attempts == 0) return -1;
  return std::max(
      0, paper.settings.max_attempts + standing.extra_attempts - standing.attempts_started);
}

}  // namespace

absl::StatusOr<std::pair<Attempt, Standing>> AttemptService::LockForChange(
    db::Transaction& tx, int64_t attempt_id) const {
  ASSIGN_OR_RETURN(const std::optional<Attempt> peek, attempts_.Find(tx, attempt_id));
  if (!peek.has_value()) return NotFound(attempt_id);
  ASSIGN_OR_RETURN(Standing standing, attempts_.LockStanding(tx, peek->paper_id, peek->member_id));
  ASSIGN_OR_RETURN(std::optional<Attempt> attempt, attempts_.Find(tx, attempt_id, true));
  if (!attempt.has_value()) return NotFound(attempt_id);
  RETURN_IF_ERROR(grader_.LoadQuestions(tx, *attempt));
  return std::make_pair(*std::move(attempt), standing);
}

absl::Status AttemptService::CheckEligible(db::Transaction& tx, const Paper& paper,
                                           int64_t member_id) const {
  if (paper.kind == PaperKind::kFinalTest) {
    ASSIGN_OR_RETURN(const std::optional<CourseFacts> course,
                     references_.Course(tx, paper.course_id));
    if (!course.has_value() || course->state != kCoursePublished) {
      return absl::FailedPreconditionError(
          absl::StrCat("course ", paper.course_id, " of this final test is not published"));
    }
  }
  if (paper.kind == PaperKind::kPeriodicTest) {
    ASSIGN_OR_RETURN(const std::optional<PlanFacts> plan, references_.Plan(tx, paper.plan_id));
    if (!plan.has_value() || plan->state != kPlanPublished) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", paper.plan_id, " of this periodic test is not in force"));
    }
    ASSIGN_OR_RETURN(const bool member,
                     references_.ActiveMemberWithin(tx, plan->organization_id, member_id));
    if (!member) {
      return absl::PermissionDeniedError(absl::StrCat(
          "this periodic test is for the members of plan ", paper.plan_id, "'s organisation"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AttemptQuestion>> AttemptService::DrawFromPools(db::Transaction& tx,
                                                                           const Paper& paper,
                                                                           DrawPools& pools,
                                                                           absl::Time now,
                                                                           bool use_kept) const {
  const PaperSettings& settings = paper.settings;
  if (settings.draw_rules.empty()) return DrawQuestions(settings, pools, Random());
  bool cached = false;
  for (size_t r = 0; r < settings.draw_rules.size(); ++r) {
    std::optional<std::vector<QuestionVersionKey>> pool =
        use_kept ? draw_pools_.Get(paper.id, paper.version, r, now) : std::nullopt;
    if (!pool.has_value()) {
      ASSIGN_OR_RETURN(pool,
                       paper_rows_.Candidates(tx, paper.organization_id, settings.draw_rules[r]));
      draw_pools_.Put(paper.id, paper.version, r, *pool, now);
    } else {
      cached = true;
    }
    pools.per_rule.push_back(*std::move(pool));
  }
  ASSIGN_OR_RETURN(std::vector<AttemptQuestion> drawn, DrawQuestions(settings, pools, Random()));
  if (!cached) return drawn;
  // A kept pool may be stale: every drawn question must still be active at the version
  // drawn, or the pools are read afresh and the draw made again.
  std::vector<int64_t> ids;
  for (const AttemptQuestion& question : drawn) ids.push_back(question.question_id);
  ASSIGN_OR_RETURN(const std::vector<QuestionFacts> facts,
                   paper_rows_.QuestionFactsFor(tx, paper.organization_id, ids));
  std::map<int64_t, const QuestionFacts*> by_id;
  for (const QuestionFacts& one : facts) by_id[one.id] = &one;
  const bool current = std::all_of(drawn.begin(), drawn.end(), [&](const AttemptQuestion& q) {
    const auto found = by_id.find(q.question_id);
    return found != by_id.end() && found->second->state == QuestionState::kActive &&
           found->second->version == q.question_version;
  });
  if (current) return drawn;
  draw_pools_.Forget(paper.id);
  pools.per_rule.clear();
  return DrawFromPools(tx, paper, pools, now, false);
}

absl::StatusOr<Attempt> AttemptService::Draw(db::Transaction& tx, const call::CallContext& call,
                                             const Paper& paper, Standing& standing, absl::Time now,
                                             absl::Time lease_due) const {
  const PaperSettings& settings = paper.settings;
  DrawPools pools;
  if (!settings.fixed_question_ids.empty()) {
    ASSIGN_OR_RETURN(
        const std::vector<QuestionFacts> facts,
        paper_rows_.QuestionFactsFor(tx, paper.organization_id, settings.fixed_question_ids));
    std::map<int64_t, QuestionFacts> by_id;
    for (const QuestionFacts& one : facts) by_id[one.id] = one;
    for (const int64_t id : settings.fixed_question_ids) {
      const auto found = by_id.find(id);
      if (found == by_id.end()) return absl::InternalError("a fixed question vanished");
      pools.fixed.push_back({{id, found->second.version}, found->second.type});
    }
  }
  ASSIGN_OR_RETURN(std::vector<AttemptQuestion> drawn, DrawFromPools(tx, paper, pools, now));
  Attempt attempt;
  attempt.questions = std::move(drawn);
  std::vector<QuestionVersionKey> keys;
  for (const AttemptQuestion& question : attempt.questions) {
    keys.emplace_back(question.question_id, question.question_version);
  }
  ASSIGN_OR_RETURN(const auto versions, grader_.Versions(tx, keys));
  for (AttemptQuestion& question : attempt.questions) {
    const auto found = versions.find({question.question_id, question.question_version});
    if (found == versions.end()) return absl::AbortedError("a drawn question changed: try again");
    question.question = found->second;
  }
  ShuffleOptions(attempt.questions, Random());
  attempt.paper_id = paper.id;
  attempt.member_id = call.caller.member_id;
  attempt.number = standing.attempts_started + 1;
  attempt.paper_kind = paper.kind;
  attempt.paper_version = paper.version;
  attempt.start_time = now;
  if (settings.time_limit_seconds > 0) {
    attempt.deadline =
        now + absl::Seconds(int64_t{settings.time_limit_seconds} + standing.extra_seconds);
  }
  attempt.grace_seconds = settings.grace_seconds;
  if (lease_due != absl::InfinitePast()) {
    // The kiosk times the exam by the lease's terms; the server's deadline is the upload's.
    attempt.leased = true;
    attempt.deadline = lease_due;
    attempt.grace_seconds = 0;
  }
  attempt.pass_points = settings.pass_points;
  for (const AttemptQuestion& question : attempt.questions) {
    attempt.total_points += question.points;
  }
  attempt.kiosk_id = call.caller.kiosk_id;
  ASSIGN_OR_RETURN(attempt.id, attempts_.Insert(tx, attempt));
  standing.attempts_started += 1;
  standing.open_attempt_id = attempt.id;
  RETURN_IF_ERROR(attempts_.SaveStanding(tx, standing));
  return attempt;
}

absl::Status AttemptService::GradeAbandoned(db::Transaction& tx, const Paper& paper,
                                            Attempt& attempt, Standing& standing,
                                            absl::Time now) const {
  RETURN_IF_ERROR(grader_.Grade(tx, paper, attempt, standing, attempt.due(), true, now));
  if (attempt.leased) RETURN_IF_ERROR(leases_.MarkExpired(tx, attempt.id));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Attempt>> AttemptService::SettleOpen(db::Transaction& tx,
                                                                  const Paper& paper,
                                                                  Standing& standing,
                                                                  absl::Time now) const {
  if (standing.open_attempt_id == 0) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<Attempt> open, attempts_.Find(tx, standing.open_attempt_id, true));
  if (!open.has_value() || open->graded()) return std::nullopt;
  if (now <= open->due()) return open;
  // Left past its deadline: graded now, as the server's grader would.
  RETURN_IF_ERROR(grader_.LoadQuestions(tx, *open));
  RETURN_IF_ERROR(GradeAbandoned(tx, paper, *open, standing, now));
  return std::nullopt;
}

absl::Status AttemptService::CheckStartable(db::Transaction& tx, const Paper& paper,
                                            const Standing& standing, absl::Time now) const {
  if (!paper.OpenAt(now)) {
    if (paper.state == PaperState::kClosed) {
      return absl::FailedPreconditionError(absl::StrCat("paper ", paper.id, " is closed"));
    }
    if (paper.settings.open_time != absl::InfinitePast() && now < paper.settings.open_time) {
      return absl::FailedPreconditionError(absl::StrCat("paper ", paper.id, " opens at ",
                                                        FormatChinaTime(paper.settings.open_time)));
    }
    return absl::FailedPreconditionError(absl::StrCat("paper ", paper.id, " closed at ",
                                                      FormatChinaTime(paper.settings.close_time)));
  }
  RETURN_IF_ERROR(CheckEligible(tx, paper, standing.member_id));
  if (AttemptsLeft(paper, standing) == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no attempts left: ", standing.attempts_started, " of ",
        paper.settings.max_attempts + standing.extra_attempts, " used (an admin may grant more)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Attempt> AttemptService::Start(const call::CallContext& call,
                                              int64_t paper_id) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("paper_id", paper_id));
  const int64_t member_id = call.caller.member_id;
  auto load = [&](db::Transaction& tx, int64_t id) -> absl::StatusOr<Attempt> {
    ASSIGN_OR_RETURN(std::optional<Attempt> attempt, attempts_.Find(tx, id));
    if (!attempt.has_value()) return NotFound(id);
    RETURN_IF_ERROR(grader_.LoadQuestions(tx, *attempt));
    return *std::move(attempt);
  };
  return call::RunIdempotentWrite<Attempt>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, paper_id));
        if (paper.state == PaperState::kDraft) {
          return absl::NotFoundError(absl::StrCat("paper ", paper_id, " not found"));
        }
        ASSIGN_OR_RETURN(Standing standing, attempts_.LockStanding(tx, paper_id, member_id));
        ASSIGN_OR_RETURN(const std::optional<Attempt> open, SettleOpen(tx, paper, standing, now));
        if (open.has_value()) {
          if (!open->leased) return open->id;  // resume
          return absl::FailedPreconditionError(
              absl::StrCat("attempt ", open->number, " is leased to kiosk ", open->kiosk_id,
                           " for an offline exam (upload due ", FormatChinaTime(open->deadline),
                           "): it is taken there"));
        }
        RETURN_IF_ERROR(CheckStartable(tx, paper, standing, now));
        ASSIGN_OR_RETURN(const Attempt drawn, Draw(tx, call, paper, standing, now));
        return drawn.id;
      },
      load, load);
}

absl::StatusOr<Attempt> AttemptService::Get(const call::CallContext& call,
                                            int64_t attempt_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("attempt_id", attempt_id));
  return db::RunTransactionFor<Attempt>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<Attempt> {
        ASSIGN_OR_RETURN(std::optional<Attempt> attempt, attempts_.Find(tx, attempt_id));
        if (!attempt.has_value()) return NotFound(attempt_id);
        RETURN_IF_ERROR(grader_.LoadQuestions(tx, *attempt));
        if (attempt->leased) {
          ASSIGN_OR_RETURN(attempt->lease, leases_.Find(tx, attempt_id));
        }
        return *std::move(attempt);
      });
}

absl::Status AttemptService::ApplySave(Attempt& attempt, int64_t sequence, const AnswerSet& answers,
                                       absl::Time now, std::vector<int32_t>& feedback,
                                       std::vector<const AttemptQuestion*>& changed) const {
  std::map<int64_t, AttemptQuestion*> by_id;
  for (AttemptQuestion& question : attempt.questions) by_id[question.question_id] = &question;
  status::FieldErrors errors;
  for (size_t i = 0; i < answers.size(); ++i) {
    const auto found = by_id.find(answers[i].first);
    if (found == by_id.end()) {
      errors.Add(absl::StrCat("answers[", i, "].question_id"),
                 absl::StrCat("question ", answers[i].first, " is not in this attempt"));
      continue;
    }
    if (std::optional<std::string> problem = AnswerProblem(*found->second, answers[i].second)) {
      errors.Add(absl::StrCat("answers[", i, "].", problem->substr(0, problem->find(':'))),
                 problem->substr(problem->find(':') + 2));
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (attempt.graded()) {
    return absl::FailedPreconditionError(
        absl::StrCat("attempt ", attempt.id, " was submitted: nothing more is saved"));
  }
  if (attempt.leased) return LeasedElsewhere(attempt);
  if (now > attempt.due()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "attempt ", attempt.id, "'s time is up (deadline ", FormatChinaTime(attempt.deadline),
        ", plus ", attempt.grace_seconds, " s): these answers were not saved"));
  }
  auto stored_equals = [&](const AttemptQuestion& question, const Answer& answer) {
    return answer.empty() ? !question.answer.has_value()
                          : question.answer.has_value() && *question.answer == answer;
  };
  if (sequence <= attempt.save_sequence) {
    const bool repeat =
        sequence == attempt.save_sequence &&
        std::all_of(answers.begin(), answers.end(), [&](const std::pair<int64_t, Answer>& one) {
          return stored_equals(*by_id.at(one.first), one.second);
        });
    if (!repeat) {
      return absl::AbortedError(absl::StrCat("save ", sequence, " is stale: attempt ", attempt.id,
                                             " already has save ", attempt.save_sequence));
    }
  }
  const bool practice = attempt.paper_kind == PaperKind::kPracticeQuiz;
  for (const auto& [question_id, answer] : answers) {
    AttemptQuestion& question = *by_id.at(question_id);
    if (stored_equals(question, answer)) {
      if (practice && question.feedback_shown) feedback.push_back(question.position);
      continue;
    }
    if (practice && question.feedback_shown) {
      return absl::FailedPreconditionError(absl::StrCat(
          "question ", question_id, " was answered and shown its key: its answer is final"));
    }
    question.answer = answer.empty() ? std::nullopt : std::optional<Answer>(answer);
    if (practice && question.answer.has_value()) {
      question.feedback_shown = true;
      feedback.push_back(question.position);
    }
    changed.push_back(&question);
  }
  attempt.save_sequence = std::max(attempt.save_sequence, sequence);
  return absl::OkStatus();
}

absl::StatusOr<SaveOutcome> AttemptService::Save(const call::CallContext& call, int64_t attempt_id,
                                                 int64_t sequence, const AnswerSet& answers) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("attempt_id", attempt_id));
  if (sequence <= 0) return status::InvalidField("sequence", "must be positive: 1 for the first");
  RETURN_IF_ERROR(CheckAnswerSet(answers, true));
  return call::RunWrite<SaveOutcome>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<SaveOutcome> {
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(auto locked, LockForChange(tx, attempt_id));
        SaveOutcome outcome;
        outcome.attempt = std::move(locked.first);
        std::vector<const AttemptQuestion*> changed;
        RETURN_IF_ERROR(ApplySave(outcome.attempt, sequence, answers, now,
                                  outcome.feedback_positions, changed));
        if (!changed.empty()) {
          RETURN_IF_ERROR(attempts_.SaveAnswers(tx, attempt_id, changed));
        }
        RETURN_IF_ERROR(attempts_.SaveHeader(tx, outcome.attempt));
        return outcome;
      });
}

ResultView AttemptService::View(const call::CallContext& call, const Paper& paper, Attempt attempt,
                                absl::Time now) const {
  ResultView view;
  view.attempt = std::move(attempt);
  if (call.caller.IsAdmin()) {
    view.review_shown = true;
    return view;
  }
  switch (paper.settings.review_policy) {
    case ReviewPolicy::kAfterSubmit:
      view.review_shown = true;
      break;
    case ReviewPolicy::kAfterClose:
      view.review_shown = paper.WindowClosedAt(now);
      if (!view.review_shown && paper.settings.close_time != absl::InfinitePast()) {
        view.review_time = paper.settings.close_time;
      }
      break;
    case ReviewPolicy::kNever:
    case ReviewPolicy::kUnspecified:
      break;
  }
  return view;
}

absl::StatusOr<ResultView> AttemptService::Submit(const call::CallContext& call, int64_t attempt_id,
                                                  int64_t sequence,
                                                  const AnswerSet& answers) const {
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("attempt_id", attempt_id));
  if (sequence < 0 || (sequence == 0 && !answers.empty())) {
    return status::InvalidField("sequence", "last answers need their save's sequence number");
  }
  RETURN_IF_ERROR(CheckAnswerSet(answers, false));
  return call::RunWrite<ResultView>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<ResultView> {
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(auto locked, LockForChange(tx, attempt_id));
        Attempt& attempt = locked.first;
        Standing& standing = locked.second;
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, attempt.paper_id));
        // A second submit (or one after the server graded it) answers the first.
        if (attempt.graded()) return View(call, paper, std::move(attempt), now);
        if (attempt.leased) return LeasedElsewhere(attempt);
        bool late = false;
        if (!answers.empty()) {
          if (now > attempt.due()) {
            late = true;
          } else {
            std::vector<int32_t> feedback;
            std::vector<const AttemptQuestion*> changed;
            RETURN_IF_ERROR(ApplySave(attempt, sequence, answers, now, feedback, changed));
            if (!changed.empty()) RETURN_IF_ERROR(attempts_.SaveAnswers(tx, attempt.id, changed));
          }
        }
        const bool overdue = now > attempt.due();
        attempt.late_answers_refused = late;
        RETURN_IF_ERROR(grader_.Grade(tx, paper, attempt, standing, overdue ? attempt.due() : now,
                                      overdue, now));
        return View(call, paper, std::move(attempt), now);
      });
}

absl::StatusOr<ResultView> AttemptService::Result(const call::CallContext& call,
                                                  int64_t attempt_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("attempt_id", attempt_id));
  return db::RunTransactionFor<ResultView>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<ResultView> {
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(std::optional<Attempt> attempt, attempts_.Find(tx, attempt_id));
        if (!attempt.has_value()) return NotFound(attempt_id);
        if (!attempt->graded()) {
          return absl::FailedPreconditionError(
              absl::StrCat("attempt ", attempt_id, " is not graded yet: submit it first"));
        }
        RETURN_IF_ERROR(grader_.LoadQuestions(tx, *attempt));
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, attempt->paper_id));
        return View(call, paper, *std::move(attempt), now);
      });
}

absl::StatusOr<StandingView> AttemptService::StandingOf(db::Transaction& tx, const Paper& paper,
                                                        int64_t member_id) const {
  StandingView view;
  ASSIGN_OR_RETURN(const std::optional<Standing> standing,
                   attempts_.FindStanding(tx, paper.id, member_id));
  view.standing = standing.value_or(Standing{paper.id, member_id});
  view.attempts_left = AttemptsLeft(paper, view.standing);
  return view;
}

absl::StatusOr<StandingView> AttemptService::StandingFor(const call::CallContext& call,
                                                         const Paper& paper) const {
  return db::RunTransactionFor<StandingView>(pool_, call.deadline, [&](db::Transaction& tx) {
    return StandingOf(tx, paper, call.caller.member_id);
  });
}

absl::StatusOr<AttemptPage> AttemptService::List(const call::CallContext& call, int64_t paper_id,
                                                 int64_t member_id, int page_size,
                                                 const std::string& page_token) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> size = paging::PageSize(page_size);
  if (!size.ok()) errors.Add("page_size", paging::PageSizeProblem(page_size));
  if (paper_id <= 0) errors.Add("paper_id", "must be a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const int64_t who, validation::MemberOrCaller(member_id, call.caller.member_id));
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(paper_id, "/", who));
  int32_t before = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kAttemptPageKind, page_token, 1, fingerprint));
    before = static_cast<int32_t>(cursor.keys[0]);
  }
  return db::RunTransactionFor<AttemptPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<AttemptPage> {
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, paper_id));
        AttemptPage page;
        ASSIGN_OR_RETURN(page.attempts, attempts_.List(tx, paper_id, who, before, *size + 1));
        page.next_page_token =
            paging::TrimToPage(page.attempts, *size, kAttemptPageKind, fingerprint,
                               [](const Attempt& attempt) { return int64_t{attempt.number}; });
        ASSIGN_OR_RETURN(page.standing, StandingOf(tx, paper, who));
        return page;
      });
}

absl::StatusOr<OverrideOutcome> AttemptService::GrantOverride(const call::CallContext& call,
                                                              int64_t paper_id, int64_t member_id,
                                                              int32_t extra_attempts,
                                                              int32_t extra_minutes,
                                                              const std::string& reason) const {
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  status::FieldErrors errors;
  if (paper_id <= 0) errors.Add("paper_id", "must be a positive id");
  if (member_id <= 0) errors.Add("member_id", "must be a positive id");
  if (extra_attempts < 0 || extra_attempts > kMaxExtraAttempts) {
    errors.Add("extra_attempts", absl::StrCat("must be 0 to ", kMaxExtraAttempts));
  }
  if (extra_minutes < 0 || extra_minutes > kMaxExtraMinutes) {
    errors.Add("extra_minutes", absl::StrCat("must be 0 to ", kMaxExtraMinutes));
  }
  if (extra_attempts == 0 && extra_minutes == 0) {
    errors.Add("extra_attempts", "grant extra attempts, extra minutes or both");
  }
  validation::CheckText(errors, "reason", reason, 1, kMaxReason, true);
  RETURN_IF_ERROR(errors.ToStatus());
  // The answer, as the member's standing is now: the totals granted and the open
  // attempt's deadline (a retry of the same request id is answered this way, granting
  // nothing twice).
  const auto load = [&](db::Transaction& tx, int64_t member) -> absl::StatusOr<OverrideOutcome> {
    OverrideOutcome outcome;
    ASSIGN_OR_RETURN(const std::optional<Standing> standing,
                     attempts_.FindStanding(tx, paper_id, member));
    outcome.standing = standing.value_or(Standing{paper_id, member});
    if (outcome.standing.open_attempt_id != 0) {
      ASSIGN_OR_RETURN(const std::optional<Attempt> open,
                       attempts_.Find(tx, outcome.standing.open_attempt_id));
      if (open.has_value() && !open->graded() && !open->leased) {
        outcome.open_attempt_deadline = open->deadline;
      }
    }
    return outcome;
  };
  return call::RunIdempotentWrite<OverrideOutcome>(
      pool_, call, clock_.Now(),
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, paper_id));
        if (paper.practice()) {
          return absl::FailedPreconditionError(
              "a practice quiz has unlimited attempts and no grades to protect");
        }
        if (paper.state != PaperState::kPublished) {
          return absl::FailedPreconditionError(
              absl::StrCat("paper ", paper_id, " is not published"));
        }
        ASSIGN_OR_RETURN(Standing standing, attempts_.LockStanding(tx, paper_id, member_id));
        standing.extra_attempts += extra_attempts;
        standing.extra_seconds += extra_minutes * 60;
        RETURN_IF_ERROR(
            attempts_.InsertOverride(tx,
                                     {paper_id, member_id, extra_attempts, extra_minutes * 60,
                                      reason, call.caller.member_id},
                                     now));
        if (standing.open_attempt_id != 0 && extra_minutes > 0) {
          ASSIGN_OR_RETURN(std::optional<Attempt> open,
                           attempts_.Find(tx, standing.open_attempt_id, true));
          // Time is given to an attempt still running; one already past its time stays so.
          // A leased exam keeps the limit its lease states: the kiosk times it offline.
          if (open.has_value() && !open->graded() && !open->leased && open->timed() &&
              now <= open->due()) {
            open->deadline += absl::Minutes(extra_minutes);
            RETURN_IF_ERROR(attempts_.SaveHeader(tx, *open));
          }
        }
        RETURN_IF_ERROR(attempts_.SaveStanding(tx, standing));
        return member_id;
      },
      load, load);
}

absl::StatusOr<int> AttemptService::GradeOverdue(absl::Time deadline, int limit) const {
  ASSIGN_OR_RETURN(
      const std::vector<int64_t> due,
      db::RunTransactionFor<std::vector<int64_t>>(pool_, deadline, [&](db::Transaction& tx) {
        return attempts_.Overdue(tx, clock_.Now(), limit);
      }));
  int graded = 0;
  for (const int64_t attempt_id : due) {
    ASSIGN_OR_RETURN(const bool done,
                     db::RunTransactionFor<bool>(
                         pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<bool> {
                           const absl::Time now = clock_.Now();
                           ASSIGN_OR_RETURN(auto locked, LockForChange(tx, attempt_id));
                           Attempt& attempt = locked.first;
                           // Submitted meanwhile, or given more time.
                           if (attempt.graded() || now <= attempt.due()) return false;
                           ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, attempt.paper_id));
                           RETURN_IF_ERROR(GradeAbandoned(tx, paper, attempt, locked.second, now));
                           return true;
                         }));
    if (done) ++graded;
  }
  return graded;
}

}  // namespace lms::assessment
