#include "services/assessment/paper_repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::assessment {
namespace {

// The columns an edit writes, in the order HeaderParams binds them; an insert adds the
// paper's fixed columns after them.
constexpr char kHeaderColumns[] =
    "state, version, title, description, content_category, shuffle_questions, partial_credit,"
    " time_limit_seconds, grace_seconds, max_attempts, open_time, close_time, score_policy,"
    " review_policy, pass_points, total_points, hours_hundredths, hours_rule_version,"
    " update_time, publish_time, closed_time";
constexpr int kHeaderColumnCount = 21;
constexpr char kSave[] =
    "UPDATE paper SET state = ?, version = ?, title = ?, description = ?, content_category = ?,"
    " shuffle_questions = ?, partial_credit = ?, time_limit_seconds = ?, grace_seconds = ?,"
    " max_attempts = ?, open_time = ?, close_time = ?, score_policy = ?, review_policy = ?,"
    " pass_points = ?, total_points = ?, hours_hundredths = ?, hours_rule_version = ?,"
    " update_time = ?, publish_time = ?, closed_time = ? WHERE id = ?";
constexpr char kColumns[] =
    "SELECT p.id, p.organization_id, p.kind, p.state, p.version, p.title, p.description,"
    " p.content_category, p.course_id, p.plan_id, p.shuffle_questions, p.partial_credit,"
    " p.time_limit_seconds, p.grace_seconds, p.max_attempts, p.open_time, p.close_time,"
    " p.score_policy, p.review_policy, p.pass_points, p.total_points, p.hours_hundredths,"
    " p.hours_rule_version, p.created_by, p.create_time, p.update_time, p.publish_time,"
    " p.closed_time FROM paper p";
constexpr char kRules[] =
    "SELECT type, content_category, difficulty, count FROM paper_draw_rule WHERE paper_id = ?"
    " ORDER BY position";
constexpr char kFixed[] =
    "SELECT question_id FROM paper_fixed_question WHERE paper_id = ? ORDER BY position";
constexpr char kPoints[] = "SELECT type, points FROM paper_type_points WHERE paper_id = ?";
constexpr char kDeleteRules[] = "DELETE FROM paper_draw_rule WHERE paper_id = ?";
constexpr char kDeleteFixed[] = "DELETE FROM paper_fixed_question WHERE paper_id = ?";
constexpr char kDeletePoints[] = "DELETE FROM paper_type_points WHERE paper_id = ?";
constexpr char kInsertRule[] =
    "INSERT INTO paper_draw_rule (paper_id, position, type, content_category, difficulty, count)"
    " VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kInsertFixed[] =
    "INSERT INTO paper_fixed_question (paper_id, position, question_id) VALUES (?, ?, ?)";
constexpr char kInsertPoints[] =
    "INSERT INTO paper_type_points (paper_id, type, points) VALUES (?, ?, ?)";
constexpr char kOrganizationOf[] = "SELECT organization_id FROM paper WHERE id = ?";
constexpr char kOrganizationOfLocked[] =
    "SELECT organization_id FROM paper WHERE id = ? LOCK IN SHARE MODE";
constexpr char kPublishedFinal[] = "SELECT id FROM paper WHERE published_final_course = ?";
// The banks a paper may use: its organisation's and the ones above it.
constexpr char kCandidateFrom[] =
    " FROM organization_closure c JOIN question q ON q.organization_id = c.ancestor_id"
    " AND q.state = 1 AND q.type = ?";

absl::Time TimeOrUnset(const db::Row& row, int column) {
  return row.IsNull(column) ? absl::InfinitePast() : row.Time(column);
}

Paper ReadPaper(const db::Row& row) {
  Paper paper;
  paper.id = row.Int64(1);
  paper.organization_id = row.Int64(2);
  paper.kind = static_cast<PaperKind>(row.Int64(3));
  paper.state = static_cast<PaperState>(row.Int64(4));
  paper.version = row.Int64(5);
  PaperSettings& settings = paper.settings;
  settings.title = row.String(6);
  settings.description = row.String(7);
  settings.content_category = static_cast<ContentCategory>(row.Int64(8));
  paper.course_id = row.IsNull(9) ? 0 : row.Int64(9);
  paper.plan_id = row.IsNull(10) ? 0 : row.Int64(10);
  settings.shuffle_questions = row.Bool(11);
  settings.partial_credit = row.Bool(12);
  settings.time_limit_seconds = static_cast<int32_t>(row.Int64(13));
  settings.grace_seconds = static_cast<int32_t>(row.Int64(14));
  settings.max_attempts = static_cast<int32_t>(row.Int64(15));
  settings.open_time = TimeOrUnset(row, 16);
  settings.close_time = TimeOrUnset(row, 17);
  settings.score_policy = static_cast<ScorePolicy>(row.Int64(18));
  settings.review_policy = static_cast<ReviewPolicy>(row.Int64(19));
  settings.pass_points = static_cast<int32_t>(row.Int64(20));
  paper.total_points = static_cast<int32_t>(row.Int64(21));
  paper.hours_hundredths = row.Int64(22);
  paper.hours_rule_version = row.Int64(23);
  paper.created_by = row.Int64(24);
  paper.create_time = row.Time(25);
  paper.update_time = row.Time(26);
  paper.publish_time = TimeOrUnset(row, 27);
  paper.closed_time = TimeOrUnset(row, 28);
  return paper;
}

// The rule's filters after kCandidateFrom, with their parameters.
std::string RuleFilter(int64_t organization_id, const DrawRule& rule,
                       std::vector<db::Param>& params) {
  params.emplace_back(static_cast<int>(rule.type));
  std::string sql = " WHERE c.descendant_id = ?";
  params.emplace_back(organization_id);
  if (rule.content_category != ContentCategory::kUnspecified) {
    absl::StrAppend(&sql, " AND q.content_category = ?");
    params.emplace_back(static_cast<int>(rule.content_category));
  }
  if (rule.difficulty > 0) {
    absl::StrAppend(&sql, " AND q.difficulty = ?");
    params.emplace_back(rule.difficulty);
  }
  return sql;
}

// The values of kHeaderColumns, in order.
std::vector<db::Param> HeaderParams(const Paper& paper) {
  const PaperSettings& s = paper.settings;
  return {static_cast<int>(paper.state),
          paper.version,
          s.title,
          s.description,
          static_cast<int>(s.content_category),
          db::Param::Bool(s.shuffle_questions),
          db::Param::Bool(s.partial_credit),
          s.time_limit_seconds,
          s.grace_seconds,
          s.max_attempts,
          db::Param::TimeOrNull(s.open_time),
          db::Param::TimeOrNull(s.close_time),
          static_cast<int>(s.score_policy),
          static_cast<int>(s.review_policy),
          s.pass_points,
          paper.total_points,
          paper.hours_hundredths,
          paper.hours_rule_version,
          paper.update_time,
          db::Param::TimeOrNull(paper.publish_time),
          db::Param::TimeOrNull(paper.closed_time)};
}

}  // namespace

absl::StatusOr<int64_t> PaperRepository::Insert(db::Transaction& tx, const Paper& paper,
                                                absl::Time now) const {
  Paper stored = paper;
  stored.version = 1;
  stored.update_time = now;
  std::vector<db::Param> params = HeaderParams(stored);
  for (const db::Param& param :
       {db::Param(paper.organization_id), db::Param(static_cast<int>(paper.kind)),
        db::Param::NullIfZero(paper.course_id), db::Param::NullIfZero(paper.plan_id),
        db::Param(paper.created_by), db::Param(now)}) {
    params.push_back(param);
  }
  std::vector<std::string> marks(kHeaderColumnCount + 6, "?");
  ASSIGN_OR_RETURN(stored.id,
                   tx.Insert(absl::StrCat("INSERT INTO paper (", kHeaderColumns,
                                          ", organization_id, kind, course_id, plan_id, created_by,"
                                          " create_time) VALUES (",
                                          absl::StrJoin(marks, ", "), ")"),
                             params));
  RETURN_IF_ERROR(SaveParts(tx, stored));
  return stored.id;
}

absl::Status PaperRepository::Save(db::Transaction& tx, const Paper& paper) const {
  std::vector<db::Param> params = HeaderParams(paper);
  params.emplace_back(paper.id);
  RETURN_IF_ERROR(tx.Execute(kSave, params).status());
  return SaveParts(tx, paper);
}

absl::Status PaperRepository::SaveParts(db::Transaction& tx, const Paper& paper) const {
  const PaperSettings& s = paper.settings;
  RETURN_IF_ERROR(tx.Execute(kDeleteRules, {paper.id}).status());
  RETURN_IF_ERROR(tx.Execute(kDeleteFixed, {paper.id}).status());
  RETURN_IF_ERROR(tx.Execute(kDeletePoints, {paper.id}).status());
  for (size_t i = 0; i < s.draw_rules.size(); ++i) {
    const DrawRule& rule = s.draw_rules[i];
    RETURN_IF_ERROR(
        tx.Execute(kInsertRule,
                   {paper.id, static_cast<int64_t>(i), static_cast<int>(rule.type),
                    static_cast<int>(rule.content_category), rule.difficulty, rule.count})
            .status());
  }
  for (size_t i = 0; i < s.fixed_question_ids.size(); ++i) {
    RETURN_IF_ERROR(
        tx.Execute(kInsertFixed, {paper.id, static_cast<int64_t>(i), s.fixed_question_ids[i]})
            .status());
  }
  for (const auto& [type, points] : s.type_points) {
    RETURN_IF_ERROR(tx.Execute(kInsertPoints, {paper.id, static_cast<int>(type), points}).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Paper>> PaperRepository::Find(db::Transaction& tx, int64_t id,
                                                           bool lock) const {
  std::optional<Paper> paper;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns, " WHERE p.id = ?", lock ? " FOR UPDATE" : ""),
                           {id}, [&](const db::Row& row) { paper = ReadPaper(row); }));
  if (!paper.has_value()) return std::nullopt;
  PaperSettings& s = paper->settings;
  RETURN_IF_ERROR(tx.Query(kRules, {id}, [&](const db::Row& row) {
    s.draw_rules.push_back(
        {static_cast<QuestionType>(row.Int64(1)), static_cast<ContentCategory>(row.Int64(2)),
         static_cast<int32_t>(row.Int64(3)), static_cast<int32_t>(row.Int64(4))});
  }));
  RETURN_IF_ERROR(tx.Query(
      kFixed, {id}, [&](const db::Row& row) { s.fixed_question_ids.push_back(row.Int64(1)); }));
  RETURN_IF_ERROR(tx.Query(kPoints, {id}, [&](const db::Row& row) {
    s.type_points[static_cast<QuestionType>(row.Int64(1))] = static_cast<int32_t>(row.Int64(2));
  }));
  return paper;
}

absl::StatusOr<std::optional<int64_t>> PaperRepository::OrganizationOf(db::Transaction& tx,
                                                                       int64_t id,
                                                                       bool lock) const {
  return tx.QueryInt64(lock ? kOrganizationOfLocked : kOrganizationOf, {id});
}

absl::StatusOr<std::vector<Paper>> PaperRepository::List(db::Transaction& tx,
                                                         const PaperQuery& query) const {
  std::string sql = kColumns;
  std::vector<db::Param> params;
  if (query.published_above_member) {
    absl::StrAppend(&sql,
                    " JOIN organization_closure c ON c.ancestor_id = p.organization_id"
                    " WHERE c.descendant_id = ? AND p.state = 2");
  } else if (query.include_subtree) {
    absl::StrAppend(&sql,
                    " JOIN organization_closure c ON c.descendant_id = p.organization_id"
                    " WHERE c.ancestor_id = ?");
  } else {
    absl::StrAppend(&sql, " WHERE p.organization_id = ?");
  }
  params.emplace_back(query.organization_id);
  if (query.kind != PaperKind::kUnspecified) {
    absl::StrAppend(&sql, " AND p.kind = ?");
    params.emplace_back(static_cast<int>(query.kind));
  }
  if (query.state != PaperState::kUnspecified) {
    absl::StrAppend(&sql, " AND p.state = ?");
    params.emplace_back(static_cast<int>(query.state));
  }
  if (query.course_id > 0) {
    absl::StrAppend(&sql, " AND p.course_id = ?");
    params.emplace_back(query.course_id);
  }
  if (query.plan_id > 0) {
    absl::StrAppend(&sql, " AND p.plan_id = ?");
    params.emplace_back(query.plan_id);
  }
  absl::StrAppend(&sql, " AND p.id > ? ORDER BY p.id LIMIT ?");
  params.emplace_back(query.after_id);
  params.emplace_back(query.limit);
  std::vector<Paper> papers;
  RETURN_IF_ERROR(
      tx.Query(sql, params, [&](const db::Row& row) { papers.push_back(ReadPaper(row)); }));
  // Listings show settings, not questions: rules and fixed ids are left to GetPaper, but
  // the points per type are part of how a paper scores.
  for (Paper& paper : papers) {
    RETURN_IF_ERROR(tx.Query(kPoints, {paper.id}, [&](const db::Row& row) {
      paper.settings.type_points[static_cast<QuestionType>(row.Int64(1))] =
          static_cast<int32_t>(row.Int64(2));
    }));
  }
  return papers;
}

absl::StatusOr<std::vector<QuestionFacts>> PaperRepository::QuestionFactsFor(
    db::Transaction& tx, int64_t organization_id, const std::vector<int64_t>& ids) const {
  std::vector<QuestionFacts> facts;
  RETURN_IF_ERROR(db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) -> absl::Status {
    std::vector<std::string> marks(size, "?");
    std::vector<db::Param> params{organization_id};
    for (size_t i = begin; i < begin + size; ++i) params.emplace_back(ids[i]);
    const std::string sql = absl::StrCat(
        "SELECT q.id, q.organization_id, q.type, q.state, q.version, c.ancestor_id IS NOT NULL"
        " FROM question q LEFT JOIN organization_closure c ON c.ancestor_id = q.organization_id"
        " AND c.descendant_id = ? WHERE q.id IN (",
        absl::StrJoin(marks, ", "), ")");
    return tx.Query(sql, params, [&](const db::Row& row) {
      facts.push_back({row.Int64(1), row.Int64(2), static_cast<QuestionType>(row.Int64(3)),
                       static_cast<QuestionState>(row.Int64(4)), row.Int64(5), row.Bool(6)});
    });
  }));
  return facts;
}

absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> PaperRepository::Candidates(
    db::Transaction& tx, int64_t organization_id, const DrawRule& rule) const {
  std::vector<db::Param> params;
  const std::string filter = RuleFilter(organization_id, rule, params);
  std::vector<std::pair<int64_t, int64_t>> candidates;
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat("SELECT q.id, q.version", kCandidateFrom, filter), params,
               [&](const db::Row& row) { candidates.emplace_back(row.Int64(1), row.Int64(2)); }));
  return candidates;
}

absl::StatusOr<int64_t> PaperRepository::CountCandidates(db::Transaction& tx,
                                                         int64_t organization_id,
                                                         const DrawRule& rule) const {
  std::vector<db::Param> params;
  const std::string filter = RuleFilter(organization_id, rule, params);
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64(absl::StrCat("SELECT COUNT(*)", kCandidateFrom, filter), params));
  return count.value_or(0);
}

absl::StatusOr<std::optional<int64_t>> PaperRepository::PublishedFinalTest(
    db::Transaction& tx, int64_t course_id) const {
  return tx.QueryInt64(kPublishedFinal, {course_id});
}

}  // namespace lms::assessment
