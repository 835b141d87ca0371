#include "services/assessment/question_importer.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/question_validation.h"

namespace lms::assessment {
namespace {

bool SameContent(const QuestionContent& a, const QuestionContent& b) {
  if (a.stem != b.stem || a.fixed_option_order != b.fixed_option_order ||
      a.content_category != b.content_category || a.difficulty != b.difficulty ||
      a.tags != b.tags || a.key.option_ids != b.key.option_ids || a.key.truth != b.key.truth ||
      a.key.blanks != b.key.blanks || a.key.explanation != b.key.explanation ||
      a.options.size() != b.options.size()) {
    return false;
  }
  for (size_t i = 0; i < a.options.size(); ++i) {
    if (a.options[i].id != b.options[i].id || a.options[i].text != b.options[i].text) return false;
  }
  return true;
}

// Gives a row's options the ids of the stored question's options with the same text (new
// texts get new ids) and maps its key from positions to those ids.
void KeepOptionIds(const Question& stored, QuestionContent& content, int32_t& last_option_id) {
  std::map<std::string, int32_t> by_text;
  for (const QuestionOption& option : stored.content.options) by_text[option.text] = option.id;
  std::vector<int32_t> position_ids;
  for (QuestionOption& option : content.options) {
    const auto found = by_text.find(option.text);
    option.id = found != by_text.end() ? found->second : ++last_option_id;
    position_ids.push_back(option.id);
  }
  for (int32_t& id : content.key.option_ids) id = position_ids[static_cast<size_t>(id - 1)];
}

}  // namespace

absl::StatusOr<QuestionImportOutcome> QuestionImporter::Import(const call::CallContext& call,
                                                               QuestionImport import) const {
  const absl::Time now = clock_.Now();
  if (import.organization_id <= 0) {
    return status::InvalidField("organization_id", "must be a positive id");
  }
  // The bank must be within the caller's reach before anything about the rows is told.
  RETURN_IF_ERROR(db::RunTransaction(pool_, call.deadline, [&](db::Transaction& tx) {
    return scope_.CheckOrganization(tx, call.caller, import.organization_id);
  }));
  QuestionImportOutcome outcome;
  std::vector<QuestionRow> valid;
  std::map<std::string, int> code_lines;
  for (QuestionRow& row : import.rows) {
    status::FieldErrors errors;
    if (!IsKnownQuestionType(static_cast<int>(row.type))) errors.Add("type", "must be a type");
    QuestionContent assigned = row.content;
    int32_t last = 0;
    AssignOptionIds(errors, "", assigned, last, nullptr);
    if (errors.empty()) CheckQuestionContent(errors, "", row.type, assigned);
    if (!row.content.code.empty()) {
      const auto [it, fresh] = code_lines.emplace(row.content.code, row.line);
      if (!fresh) errors.Add("code", absl::StrCat("repeats the code of line ", it->second));
    }
    if (!errors.empty()) {
      for (const auto& [field, reason] : errors.violations()) {
        outcome.errors.push_back({row.line, field, reason});
      }
      continue;
    }
    valid.push_back(std::move(row));
  }
  if (!outcome.errors.empty() && !import.valid_rows_only) return outcome;
  const int64_t organization_id = import.organization_id;
  // Rows refused only once the bank is read (a code naming a question of another type):
  // kept outside the transaction, which they roll back unless valid_rows_only.
  std::vector<QuestionRowError> late_errors;
  absl::StatusOr<QuestionImportOutcome> written = call::RunWrite<QuestionImportOutcome>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<QuestionImportOutcome> {
        late_errors.clear();
        // Held again in the write: a move of the bank's organisation waits for it.
        RETURN_IF_ERROR(scope_.CheckOrganization(tx, call.caller, organization_id));
        QuestionImportOutcome result;
        std::vector<std::string> codes;
        for (const QuestionRow& row : valid) {
          if (!row.content.code.empty()) codes.push_back(row.content.code);
        }
        ASSIGN_OR_RETURN(auto stored, questions_.FindByCodes(tx, organization_id, codes));
        for (const QuestionRow& row : valid) {
          const auto existing = stored.find(row.content.code);
          if (row.content.code.empty() || existing == stored.end()) {
            Question question;
            question.organization_id = organization_id;
            question.type = row.type;
            question.state = QuestionState::kActive;
            question.content = row.content;
            status::FieldErrors unused;
            AssignOptionIds(unused, "", question.content, question.last_option_id, nullptr);
            question.created_by = call.caller.member_id;
            if (!import.dry_run) RETURN_IF_ERROR(questions_.Insert(tx, question, now).status());
            ++result.created;
            continue;
          }
          Question question = existing->second;
          if (question.type != row.type) {
            late_errors.push_back(
                {row.line, "type",
                 absl::StrCat("question ", question.id, " (code ", row.content.code,
                              ") is of another type, which does not change")});
            continue;
          }
          QuestionContent content = row.content;
          int32_t last = question.last_option_id;
          KeepOptionIds(question, content, last);
          if (SameContent(question.content, content) && !question.retired()) {
            ++result.unchanged;
            continue;
          }
          question.content = std::move(content);
          question.last_option_id = last;
          question.version += 1;
          if (!import.dry_run) {
            RETURN_IF_ERROR(questions_.SaveVersion(tx, question, call.caller.member_id, now));
          }
          ++result.updated;
        }
        if (!late_errors.empty() && !import.valid_rows_only) {
          return absl::FailedPreconditionError("import refused: rows in error");
        }
        return result;
      });
  outcome.errors.insert(outcome.errors.end(), late_errors.begin(), late_errors.end());
  if (!late_errors.empty() && !import.valid_rows_only) return outcome;
  if (!written.ok()) return written.status();
  outcome.created = written->created;
  outcome.updated = written->updated;
  outcome.unchanged = written->unchanged;
  return outcome;
}

}  // namespace lms::assessment
