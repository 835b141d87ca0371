#include "services/assessment/attempt_repository.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/assessment/question_codec.h"

namespace lms::assessment {
namespace {

constexpr char kInsert[] =
    "INSERT INTO attempt (paper_id, member_id, number, paper_kind, state, paper_version,"
    " start_time, deadline, grace_seconds, grade_due_time, total_points, pass_points, kiosk_id,"
    " leased) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kColumns[] =
    "SELECT a.id, a.paper_id, a.member_id, a.number, a.state, a.paper_version, a.start_time,"
    " a.deadline, a.grace_seconds, a.save_sequence, a.total_points, a.pass_points, a.points,"
    " a.passed, a.submit_time, a.graded_by_server, a.late_answers_refused, a.hours_credited,"
    " a.kiosk_id, a.paper_kind, a.leased FROM attempt a";
constexpr char kSaveHeader[] =
    "UPDATE attempt SET state = ?, start_time = ?, deadline = ?, grade_due_time = ?,"
    " save_sequence = ?, points = ?, passed = ?, submit_time = ?, graded_by_server = ?,"
    " late_answers_refused = ?, hours_credited = ? WHERE id = ?";
constexpr char kQuestions[] =
    "SELECT position, question_id, question_version, points, option_order, answer_json,"
    " feedback_shown, correct, points_awarded FROM attempt_question WHERE attempt_id = ?"
    " ORDER BY position";
constexpr char kUpsertQuestionsPrefix[] =
    "INSERT INTO attempt_question (attempt_id, position, question_id, question_version, points,"
    " option_order, answer_json, feedback_shown, correct, points_awarded) VALUES ";
constexpr char kUpsertAnswersSuffix[] =
    " ON DUPLICATE KEY UPDATE answer_json = VALUES(answer_json),"
    " feedback_shown = VALUES(feedback_shown)";
constexpr char kUpsertGradingSuffix[] =
    " ON DUPLICATE KEY UPDATE correct = VALUES(correct), points_awarded = VALUES(points_awarded)";
constexpr char kMemberOf[] = "SELECT member_id FROM attempt WHERE id = ?";
constexpr char kMemberOfLocked[] = "SELECT member_id FROM attempt WHERE id = ? LOCK IN SHARE MODE";
constexpr char kOverdue[] =
    "SELECT id FROM attempt WHERE grade_due_time < ? ORDER BY grade_due_time LIMIT ?";
constexpr char kEnsureStanding[] =
    "INSERT IGNORE INTO paper_standing (paper_id, member_id) VALUES (?, ?)";
constexpr char kStanding[] =
    "SELECT paper_id, member_id, attempts_started, open_attempt_id, extra_attempts,"
    " extra_seconds, result_attempt_id, result_points, passed, credit_id FROM paper_standing"
    " WHERE paper_id = ? AND member_id = ?";
constexpr char kSaveStanding[] =
    "UPDATE paper_standing SET attempts_started = ?, open_attempt_id = ?, extra_attempts = ?,"
    " extra_seconds = ?, result_attempt_id = ?, result_points = ?, passed = ?, credit_id = ?"
    " WHERE paper_id = ? AND member_id = ?";
constexpr char kInsertOverride[] =
    "INSERT INTO paper_override (paper_id, member_id, extra_attempts, extra_seconds, reason,"
    " granted_by, grant_time) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kQueueForStats[] =
    "INSERT IGNORE INTO question_stat_queue (attempt_id, graded_time) VALUES (?, ?)";

absl::Time TimeOrUnset(const db::Row& row, int column) {
  return row.IsNull(column) ? absl::InfinitePast() : row.Time(column);
}

Attempt ReadAttempt(const db::Row& row) {
  Attempt attempt;
  attempt.id = row.Int64(1);
  attempt.paper_id = row.Int64(2);
  attempt.member_id = row.Int64(3);
  attempt.number = static_cast<int32_t>(row.Int64(4));
  attempt.state = static_cast<AttemptState>(row.Int64(5));
  attempt.paper_version = row.Int64(6);
  attempt.start_time = row.Time(7);
  attempt.deadline = TimeOrUnset(row, 8);
  attempt.grace_seconds = static_cast<int32_t>(row.Int64(9));
  attempt.save_sequence = row.Int64(10);
  attempt.total_points = static_cast<int32_t>(row.Int64(11));
  attempt.pass_points = static_cast<int32_t>(row.Int64(12));
  attempt.points = row.IsNull(13) ? 0 : static_cast<int32_t>(row.Int64(13));
  attempt.passed = !row.IsNull(14) && row.Bool(14);
  attempt.submit_time = TimeOrUnset(row, 15);
  attempt.graded_by_server = row.Bool(16);
  attempt.late_answers_refused = row.Bool(17);
  attempt.hours_credited = row.Int64(18);
  attempt.kiosk_id = row.IsNull(19) ? 0 : row.Int64(19);
  attempt.paper_kind = static_cast<PaperKind>(row.Int64(20));
  attempt.leased = row.Bool(21);
  return attempt;
}

std::string JoinOrder(const std::vector<int32_t>& ids) { return absl::StrJoin(ids, ","); }

std::vector<int32_t> SplitOrder(const std::string& text) {
  std::vector<int32_t> ids;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int32_t id = 0;
    if (absl::SimpleAtoi(part, &id)) ids.push_back(id);
  }
  return ids;
}

// One multi-row upsert of attempt_question rows. The rows are padded, by repeating the
// last, to one of db::kPaddedSizes, so an attempt's 10 or 20 rows are one statement of
// few shapes (a repeated row updates its row to the same values again).
absl::Status UpsertQuestions(db::Transaction& tx, int64_t attempt_id,
                             const std::vector<const AttemptQuestion*>& rows, bool graded,
                             const char* suffix) {
  if (rows.empty()) return absl::OkStatus();
  const size_t size = db::PaddedSize(rows.size());
  std::vector<std::string> tuples(size, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::vector<db::Param> params;
  params.reserve(size * 10);
  for (size_t i = 0; i < size; ++i) {
    const AttemptQuestion& q = *rows[std::min(i, rows.size() - 1)];
    params.emplace_back(attempt_id);
    params.emplace_back(q.position);
    params.emplace_back(q.question_id);
    params.emplace_back(q.question_version);
    params.emplace_back(q.points);
    params.emplace_back(JoinOrder(q.option_order));
    params.emplace_back(q.answer.has_value() ? db::Param(AnswerToJson(*q.answer))
                                             : db::Param(nullptr));
    params.push_back(db::Param::Bool(q.feedback_shown));
    params.push_back(graded ? db::Param::Bool(q.correct) : db::Param(nullptr));
    params.push_back(graded ? db::Param(q.points_awarded) : db::Param(nullptr));
  }
  return tx
      .Execute(absl::StrCat(kUpsertQuestionsPrefix, absl::StrJoin(tuples, ", "), suffix), params)
      .status();
}

Standing ReadStanding(const db::Row& row) {
  Standing standing;
  standing.paper_id = row.Int64(1);
  standing.member_id = row.Int64(2);
  standing.attempts_started = static_cast<int32_t>(row.Int64(3));
  standing.open_attempt_id = row.IsNull(4) ? 0 : row.Int64(4);
  standing.extra_attempts = static_cast<int32_t>(row.Int64(5));
  standing.extra_seconds = static_cast<int32_t>(row.Int64(6));
  standing.result_attempt_id = row.IsNull(7) ? 0 : row.Int64(7);
  standing.result_points = static_cast<int32_t>(row.Int64(8));
  standing.passed = row.Bool(9);
  standing.credit_id = row.IsNull(10) ? 0 : row.Int64(10);
  return standing;
}

}  // namespace

absl::StatusOr<int64_t> AttemptRepository::Insert(db::Transaction& tx,
                                                  const Attempt& attempt) const {
  const db::Param due = attempt.timed() ? db::Param(attempt.due()) : db::Param(nullptr);
  ASSIGN_OR_RETURN(const int64_t id,
                   tx.Insert(kInsert, {attempt.paper_id, attempt.member_id, attempt.number,
                                       static_cast<int>(attempt.paper_kind), attempt.paper_version,
                                       attempt.start_time, db::Param::TimeOrNull(attempt.deadline),
                                       attempt.grace_seconds, due, attempt.total_points,
                                       attempt.pass_points, db::Param::NullIfZero(attempt.kiosk_id),
                                       db::Param::Bool(attempt.leased)}));
  std::vector<const AttemptQuestion*> rows;
  for (const AttemptQuestion& question : attempt.questions) rows.push_back(&question);
  RETURN_IF_ERROR(UpsertQuestions(tx, id, rows, false, kUpsertAnswersSuffix));
  return id;
}

absl::StatusOr<std::optional<Attempt>> AttemptRepository::Find(db::Transaction& tx, int64_t id,
                                                               bool lock) const {
  std::optional<Attempt> attempt;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns, " WHERE a.id = ?", lock ? " FOR UPDATE" : ""),
                           {id}, [&](const db::Row& row) { attempt = ReadAttempt(row); }));
  return attempt;
}

absl::StatusOr<std::vector<AttemptQuestion>> AttemptRepository::Questions(
    db::Transaction& tx, int64_t attempt_id) const {
  std::vector<AttemptQuestion> questions;
  absl::Status decoded;
  RETURN_IF_ERROR(tx.Query(kQuestions, {attempt_id}, [&](const db::Row& row) {
    AttemptQuestion question;
    question.position = static_cast<int32_t>(row.Int64(1));
    question.question_id = row.Int64(2);
    question.question_version = row.Int64(3);
    question.points = static_cast<int32_t>(row.Int64(4));
    question.option_order = SplitOrder(row.String(5));
    if (!row.IsNull(6)) {
      absl::StatusOr<Answer> answer = AnswerFromJson(row.String(6));
      if (answer.ok()) {
        question.answer = *std::move(answer);
      } else if (decoded.ok()) {
        decoded = answer.status();
      }
    }
    question.feedback_shown = row.Bool(7);
    question.correct = !row.IsNull(8) && row.Bool(8);
    question.points_awarded = row.IsNull(9) ? 0 : static_cast<int32_t>(row.Int64(9));
    questions.push_back(std::move(question));
  }));
  RETURN_IF_ERROR(decoded);
  return questions;
}

absl::Status AttemptRepository::SaveAnswers(
    db::Transaction& tx, int64_t attempt_id,
    const std::vector<const AttemptQuestion*>& changed) const {
  return UpsertQuestions(tx, attempt_id, changed, false, kUpsertAnswersSuffix);
}

absl::Status AttemptRepository::SaveGrading(db::Transaction& tx, const Attempt& attempt) const {
  std::vector<const AttemptQuestion*> rows;
  for (const AttemptQuestion& question : attempt.questions) rows.push_back(&question);
  return UpsertQuestions(tx, attempt.id, rows, true, kUpsertGradingSuffix);
}

absl::Status AttemptRepository::SaveHeader(db::Transaction& tx, const Attempt& attempt) const {
  const db::Param due =
      attempt.timed() && !attempt.graded() ? db::Param(attempt.due()) : db::Param(nullptr);
  const bool graded = attempt.graded();
  return tx
      .Execute(
          kSaveHeader,
          {static_cast<int>(attempt.state), attempt.start_time,
           db::Param::TimeOrNull(attempt.deadline), due, attempt.save_sequence,
           graded ? db::Param(attempt.points) : db::Param(nullptr),
           graded ? db::Param::Bool(attempt.passed) : db::Param(nullptr),
           db::Param::TimeOrNull(attempt.submit_time), db::Param::Bool(attempt.graded_by_server),
           db::Param::Bool(attempt.late_answers_refused), attempt.hours_credited, attempt.id})
      .status();
}

absl::StatusOr<std::optional<int64_t>> AttemptRepository::MemberOf(db::Transaction& tx, int64_t id,
                                                                   bool lock) const {
  return tx.QueryInt64(lock ? kMemberOfLocked : kMemberOf, {id});
}

absl::StatusOr<std::vector<Attempt>> AttemptRepository::List(db::Transaction& tx, int64_t paper_id,
                                                             int64_t member_id, int32_t before,
                                                             int limit) const {
  std::vector<Attempt> attempts;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns,
                                        " WHERE a.paper_id = ? AND a.member_id = ? AND a.number < ?"
                                        " ORDER BY a.number DESC LIMIT ?"),
                           {paper_id, member_id, before > 0 ? before : INT32_MAX, limit},
                           [&](const db::Row& row) { attempts.push_back(ReadAttempt(row)); }));
  return attempts;
}

absl::StatusOr<std::vector<Attempt>> AttemptRepository::Graded(db::Transaction& tx,
                                                               int64_t paper_id,
                                                               int64_t member_id) const {
  std::vector<Attempt> attempts;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns,
                                        " WHERE a.paper_id = ? AND a.member_id = ?"
                                        " AND a.state = 2 ORDER BY a.number"),
                           {paper_id, member_id},
                           [&](const db::Row& row) { attempts.push_back(ReadAttempt(row)); }));
  return attempts;
}

absl::StatusOr<std::vector<int64_t>> AttemptRepository::Overdue(db::Transaction& tx, absl::Time now,
                                                                int limit) const {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(
      tx.Query(kOverdue, {now, limit}, [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
  return ids;
}

absl::StatusOr<Standing> AttemptRepository::LockStanding(db::Transaction& tx, int64_t paper_id,
                                                         int64_t member_id) const {
  // The row is locked for update straight away when it exists: INSERT IGNORE on an
  // existing row takes a shared lock, and two writers upgrading theirs deadlock (fifty
  // concurrent submits did). Only a member's first start inserts it.
  const std::string lock = absl::StrCat(kStanding, " FOR UPDATE");
  std::optional<Standing> standing;
  RETURN_IF_ERROR(tx.Query(lock, {paper_id, member_id},
                           [&](const db::Row& row) { standing = ReadStanding(row); }));
  if (standing.has_value()) return *standing;
  RETURN_IF_ERROR(tx.Execute(kEnsureStanding, {paper_id, member_id}).status());
  RETURN_IF_ERROR(tx.Query(lock, {paper_id, member_id},
                           [&](const db::Row& row) { standing = ReadStanding(row); }));
  if (!standing.has_value()) return absl::InternalError("paper standing vanished after insert");
  return *standing;
}

absl::StatusOr<std::optional<Standing>> AttemptRepository::FindStanding(db::Transaction& tx,
                                                                        int64_t paper_id,
                                                                        int64_t member_id) const {
  std::optional<Standing> standing;
  RETURN_IF_ERROR(tx.Query(kStanding, {paper_id, member_id},
                           [&](const db::Row& row) { standing = ReadStanding(row); }));
  return standing;
}

absl::Status AttemptRepository::SaveStanding(db::Transaction& tx, const Standing& standing) const {
  return tx
      .Execute(kSaveStanding,
               {standing.attempts_started, db::Param::NullIfZero(standing.open_attempt_id),
                standing.extra_attempts, standing.extra_seconds,
                db::Param::NullIfZero(standing.result_attempt_id), standing.result_points,
                db::Param::Bool(standing.passed), db::Param::NullIfZero(standing.credit_id),
                standing.paper_id, standing.member_id})
      .status();
}

absl::Status AttemptRepository::InsertOverride(db::Transaction& tx, const OverrideGrant& grant,
                                               absl::Time now) const {
  return tx
      .Execute(kInsertOverride, {grant.paper_id, grant.member_id, grant.extra_attempts,
                                 grant.extra_seconds, grant.reason, grant.granted_by, now})
      .status();
}

absl::Status AttemptRepository::QueueForStats(db::Transaction& tx, int64_t attempt_id,
                                              absl::Time graded_time) const {
  return tx.Execute(kQueueForStats, {attempt_id, graded_time}).status();
}

}  // namespace lms::assessment
