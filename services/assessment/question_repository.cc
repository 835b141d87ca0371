#include "services/assessment/question_repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/assessment/question_codec.h"

namespace lms::assessment {
namespace {

constexpr char kInsert[] =
    "INSERT INTO question (organization_id, type, state, version, content_category, difficulty,"
    " code, created_by, create_time, update_time) VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, ?)";
constexpr char kInsertVersion[] =
    "INSERT INTO question_version (question_id, version, stem, options_json, fixed_option_order,"
    " key_json, explanation, content_category, difficulty, tags_json, last_option_id,"
    " changed_by, change_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSaveHeader[] =
    "UPDATE question SET version = ?, content_category = ?, difficulty = ?, code = ?,"
    " update_time = ? WHERE id = ?";
constexpr char kSaveState[] = "UPDATE question SET state = ?, update_time = ? WHERE id = ?";
constexpr char kDeleteTags[] = "DELETE FROM question_tag WHERE question_id = ?";
constexpr char kInsertTag[] = "INSERT INTO question_tag (question_id, tag) VALUES (?, ?)";
constexpr char kColumns[] =
    "SELECT q.id, q.organization_id, q.type, q.state, q.version, q.code, q.created_by,"
    " q.create_time, q.update_time, v.version, v.stem, v.options_json, v.fixed_option_order,"
    " v.key_json, v.explanation, v.content_category, v.difficulty, v.tags_json,"
    " v.last_option_id, v.change_time"
    " FROM question q JOIN question_version v ON v.question_id = q.id";
constexpr char kOrganizationOf[] = "SELECT organization_id FROM question WHERE id = ?";
constexpr char kOrganizationOfLocked[] =
    "SELECT organization_id FROM question WHERE id = ? LOCK IN SHARE MODE";

// Reads a row of kColumns; `status` keeps the first decoding failure.
Question ReadQuestion(const db::Row& row, absl::Status& status) {
  Question question;
  question.id = row.Int64(1);
  question.organization_id = row.Int64(2);
  question.type = static_cast<QuestionType>(row.Int64(3));
  question.state = static_cast<QuestionState>(row.Int64(4));
  question.content.code = row.IsNull(6) ? "" : row.String(6);
  question.created_by = row.Int64(7);
  question.create_time = row.Time(8);
  question.update_time = row.Time(9);
  question.version = row.Int64(10);
  QuestionContent& content = question.content;
  content.stem = row.String(11);
  absl::StatusOr<std::vector<QuestionOption>> options = OptionsFromJson(row.String(12));
  if (options.ok()) {
    content.options = *std::move(options);
  } else if (status.ok()) {
    status = options.status();
  }
  content.fixed_option_order = row.Bool(13);
  if (absl::Status key = KeyFromJson(row.String(14), content.key); !key.ok() && status.ok()) {
    status = key;
  }
  content.key.explanation = row.String(15);
  content.content_category = static_cast<ContentCategory>(row.Int64(16));
  content.difficulty = static_cast<int32_t>(row.Int64(17));
  absl::StatusOr<std::vector<std::string>> tags = TagsFromJson(row.String(18));
  if (tags.ok()) {
    content.tags = *std::move(tags);
  } else if (status.ok()) {
    status = tags.status();
  }
  question.last_option_id = static_cast<int32_t>(row.Int64(19));
  // A past version's time is when it was written.
  if (question.version != row.Int64(5)) question.update_time = row.Time(20);
  return question;
}

absl::StatusOr<std::vector<Question>> QueryQuestions(db::Transaction& tx, const std::string& sql,
                                                     const std::vector<db::Param>& params) {
  std::vector<Question> questions;
  absl::Status decoded;
  RETURN_IF_ERROR(tx.Query(
      sql, params, [&](const db::Row& row) { questions.push_back(ReadQuestion(row, decoded)); }));
  RETURN_IF_ERROR(decoded);
  return questions;
}

std::string EscapeLike(absl::string_view text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

}  // namespace

absl::Status QuestionRepository::SaveVersion(db::Transaction& tx, const Question& question,
                                             int64_t changed_by, absl::Time now) const {
  const QuestionContent& content = question.content;
  RETURN_IF_ERROR(
      tx.Execute(kInsertVersion,
                 {question.id, question.version, content.stem, OptionsToJson(content.options),
                  db::Param::Bool(content.fixed_option_order), KeyToJson(content.key),
                  content.key.explanation, static_cast<int>(content.content_category),
                  content.difficulty, TagsToJson(content.tags), question.last_option_id, changed_by,
                  now})
          .status());
  const db::Param code = content.code.empty() ? db::Param(nullptr) : db::Param(content.code);
  RETURN_IF_ERROR(
      tx.Execute(kSaveHeader, {question.version, static_cast<int>(content.content_category),
                               content.difficulty, code, now, question.id})
          .status());
  RETURN_IF_ERROR(tx.Execute(kDeleteTags, {question.id}).status());
  for (const std::string& tag : content.tags) {
    RETURN_IF_ERROR(tx.Execute(kInsertTag, {question.id, tag}).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> QuestionRepository::Insert(db::Transaction& tx, const Question& question,
                                                   absl::Time now) const {
  const QuestionContent& content = question.content;
  const db::Param code = content.code.empty() ? db::Param(nullptr) : db::Param(content.code);
  ASSIGN_OR_RETURN(const int64_t id,
                   tx.Insert(kInsert, {question.organization_id, static_cast<int>(question.type),
                                       static_cast<int>(content.content_category),
                                       content.difficulty, code, question.created_by, now, now}));
  Question stored = question;
  stored.id = id;
  stored.version = 1;
  RETURN_IF_ERROR(SaveVersion(tx, stored, question.created_by, now));
  return id;
}

absl::Status QuestionRepository::SaveState(db::Transaction& tx, const Question& question) const {
  return tx
      .Execute(kSaveState, {static_cast<int>(question.state), question.update_time, question.id})
      .status();
}

absl::StatusOr<std::optional<Question>> QuestionRepository::Find(db::Transaction& tx, int64_t id,
                                                                 bool lock, int64_t version) const {
  std::string sql =
      absl::StrCat(kColumns, version > 0 ? " AND v.version = ?" : " AND v.version = q.version",
                   " WHERE q.id = ?", lock ? " FOR UPDATE" : "");
  std::vector<db::Param> params;
  if (version > 0) params.emplace_back(version);
  params.emplace_back(id);
  ASSIGN_OR_RETURN(std::vector<Question> found, QueryQuestions(tx, sql, params));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

absl::StatusOr<std::map<QuestionVersionKey, Question>> QuestionRepository::FindVersions(
    db::Transaction& tx, const std::vector<QuestionVersionKey>& keys) const {
  std::map<QuestionVersionKey, Question> found;
  RETURN_IF_ERROR(db::ForEachBatch(keys.size(), [&](size_t begin, size_t size) -> absl::Status {
    std::vector<std::string> pairs(size, "(?, ?)");
    std::vector<db::Param> params;
    for (size_t i = begin; i < begin + size; ++i) {
      params.emplace_back(keys[i].first);
      params.emplace_back(keys[i].second);
    }
    const std::string sql = absl::StrCat(kColumns, " WHERE (v.question_id, v.version) IN (",
                                         absl::StrJoin(pairs, ", "), ")");
    ASSIGN_OR_RETURN(std::vector<Question> questions, QueryQuestions(tx, sql, params));
    for (Question& question : questions) {
      found.emplace(QuestionVersionKey{question.id, question.version}, std::move(question));
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<std::map<std::string, Question>> QuestionRepository::FindByCodes(
    db::Transaction& tx, int64_t organization_id, const std::vector<std::string>& codes) const {
  std::map<std::string, Question> found;
  RETURN_IF_ERROR(db::ForEachBatch(codes.size(), [&](size_t begin, size_t size) -> absl::Status {
    std::vector<std::string> marks(size, "?");
    std::vector<db::Param> params{organization_id};
    for (size_t i = begin; i < begin + size; ++i) params.emplace_back(codes[i]);
    const std::string sql =
        absl::StrCat(kColumns, " AND v.version = q.version WHERE q.organization_id = ?",
                     " AND q.code IN (", absl::StrJoin(marks, ", "), ")");
    ASSIGN_OR_RETURN(std::vector<Question> questions, QueryQuestions(tx, sql, params));
    for (Question& question : questions) {
      const std::string code = question.content.code;
      found.emplace(code, std::move(question));
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<std::optional<int64_t>> QuestionRepository::OrganizationOf(db::Transaction& tx,
                                                                          int64_t id,
                                                                          bool lock) const {
  return tx.QueryInt64(lock ? kOrganizationOfLocked : kOrganizationOf, {id});
}

absl::StatusOr<std::vector<Question>> QuestionRepository::List(db::Transaction& tx,
                                                               const QuestionQuery& query) const {
  std::string sql = absl::StrCat(kColumns, " AND v.version = q.version");
  std::vector<db::Param> params;
  if (query.include_above) {
    absl::StrAppend(&sql,
                    " JOIN organization_closure c ON c.ancestor_id = q.organization_id"
                    " WHERE c.descendant_id = ?");
  } else {
    absl::StrAppend(&sql, " WHERE q.organization_id = ?");
  }
  params.emplace_back(query.organization_id);
  if (query.type != QuestionType::kUnspecified) {
    absl::StrAppend(&sql, " AND q.type = ?");
    params.emplace_back(static_cast<int>(query.type));
  }
  if (query.content_category != ContentCategory::kUnspecified) {
    absl::StrAppend(&sql, " AND q.content_category = ?");
    params.emplace_back(static_cast<int>(query.content_category));
  }
  if (query.difficulty > 0) {
    absl::StrAppend(&sql, " AND q.difficulty = ?");
    params.emplace_back(query.difficulty);
  }
  if (!query.include_retired) absl::StrAppend(&sql, " AND q.state = 1");
  if (!query.tag.empty()) {
    absl::StrAppend(&sql,
                    " AND EXISTS (SELECT 1 FROM question_tag t WHERE t.question_id = q.id"
                    " AND t.tag = ?)");
    params.emplace_back(query.tag);
  }
  if (!query.stem_contains.empty()) {
    absl::StrAppend(&sql, " AND v.stem LIKE ?");
    params.emplace_back(absl::StrCat("%", EscapeLike(query.stem_contains), "%"));
  }
  absl::StrAppend(&sql, " AND q.id > ? ORDER BY q.id LIMIT ?");
  params.emplace_back(query.after_id);
  params.emplace_back(query.limit);
  return QueryQuestions(tx, sql, params);
}

}  // namespace lms::assessment
