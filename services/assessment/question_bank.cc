#include "services/assessment/question_bank.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/assessment/question_validation.h"

namespace lms::assessment {
namespace {

constexpr char kQuestionPageKind[] = "questions";
constexpr size_t kMaxQuery = 100;

absl::Status NotFound(int64_t question_id) {
  return absl::NotFoundError(absl::StrCat("question ", question_id, " not found"));
}

}  // namespace

template <typename Mutate>
absl::StatusOr<Question> QuestionBank::Write(const call::CallContext& call, Mutate&& mutate) const {
  return call::RunIdempotentWrite<Question>(
      pool_, call, clock_.Now(), std::forward<Mutate>(mutate),
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id); });
}

absl::StatusOr<Question> QuestionBank::Load(db::Transaction& tx, int64_t question_id,
                                            int64_t version) const {
  ASSIGN_OR_RETURN(std::optional<Question> question,
                   questions_.Find(tx, question_id, false, version));
  if (!question.has_value()) {
    if (version > 0) {
      return absl::NotFoundError(
          absl::StrCat("question ", question_id, " has no version ", version));
    }
    return NotFound(question_id);
  }
  return *std::move(question);
}

absl::Status QuestionBank::CheckCodeFree(db::Transaction& tx, int64_t organization_id,
                                         const std::string& code, int64_t question_id,
                                         const std::string& field) const {
  if (code.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const auto found, questions_.FindByCodes(tx, organization_id, {code}));
  if (found.empty() || found.begin()->second.id == question_id) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat(field, ": code ", code, " is question ",
                                               found.begin()->second.id, " of this bank"));
}

absl::StatusOr<Question> QuestionBank::Create(const call::CallContext& call,
                                              int64_t organization_id, QuestionType type,
                                              QuestionContent content) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("question.organization_id", "must be a positive id");
  if (!IsKnownQuestionType(static_cast<int>(type))) {
    errors.Add("question.type", "must be a question type");
  }
  int32_t last_option_id = 0;
  AssignOptionIds(errors, "question.", content, last_option_id, nullptr);
  if (errors.empty()) CheckQuestionContent(errors, "question.", type, content);
  RETURN_IF_ERROR(errors.ToStatus());
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const std::optional<bool> closed,
                     references_.OrganizationClosed(tx, organization_id));
    if (!closed.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("question.organization_id: organization ", organization_id, " not found"));
    }
    if (*closed) {
      return absl::FailedPreconditionError(
          absl::StrCat("organization ", organization_id, " is closed"));
    }
    RETURN_IF_ERROR(CheckCodeFree(tx, organization_id, content.code, 0, "question.code"));
    Question question;
    question.organization_id = organization_id;
    question.type = type;
    question.state = QuestionState::kActive;
    question.content = std::move(content);
    question.last_option_id = last_option_id;
    question.created_by = call.caller.member_id;
    return questions_.Insert(tx, question, now);
  });
}

absl::StatusOr<Question> QuestionBank::Update(const call::CallContext& call, int64_t question_id,
                                              int64_t expected_version,
                                              QuestionContent content) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckVersionedEdit(call.request_id, "question_id", question_id,
                                                 expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Question> question, questions_.Find(tx, question_id, true));
    if (!question.has_value()) return NotFound(question_id);
    status::FieldErrors errors;
    int32_t last_option_id = question->last_option_id;
    AssignOptionIds(errors, "question.", content, last_option_id, &question->content.options);
    if (errors.empty()) CheckQuestionContent(errors, "question.", question->type, content);
    RETURN_IF_ERROR(errors.ToStatus());
    if (question->retired()) {
      return absl::FailedPreconditionError(
          absl::StrCat("question ", question_id, " is retired: add a new question instead"));
    }
    RETURN_IF_ERROR(
        validation::CheckVersion("question", question_id, question->version, expected_version));
    RETURN_IF_ERROR(
        CheckCodeFree(tx, question->organization_id, content.code, question_id, "question.code"));
    question->content = std::move(content);
    question->last_option_id = last_option_id;
    question->version += 1;
    RETURN_IF_ERROR(questions_.SaveVersion(tx, *question, call.caller.member_id, now));
    return question_id;
  });
}

absl::StatusOr<Question> QuestionBank::Retire(const call::CallContext& call, int64_t question_id,
                                              int64_t expected_version) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckVersionedEdit(call.request_id, "question_id", question_id,
                                                 expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Question> question, questions_.Find(tx, question_id, true));
    if (!question.has_value()) return NotFound(question_id);
    if (question->retired()) return question_id;
    RETURN_IF_ERROR(
        validation::CheckVersion("question", question_id, question->version, expected_version));
    question->state = QuestionState::kRetired;
    question->update_time = now;
    RETURN_IF_ERROR(questions_.SaveState(tx, *question));
    return question_id;
  });
}

absl::StatusOr<Question> QuestionBank::Get(const call::CallContext& call, int64_t question_id,
                                           int64_t version) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("question_id", question_id));
  if (version < 0) return status::InvalidField("version", "must be 0 (current) or a version");
  return db::RunTransactionFor<Question>(
      pool_, call.deadline, [&](db::Transaction& tx) { return Load(tx, question_id, version); });
}

absl::StatusOr<QuestionPage> QuestionBank::List(const call::CallContext& call,
                                                const ListQuestionsInput& input) const {
  const QuestionQuery& filters = input.filters;
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (filters.organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  if (filters.type != QuestionType::kUnspecified &&
      !IsKnownQuestionType(static_cast<int>(filters.type))) {
    errors.Add("type", "must be a question type or unset");
  }
  if (filters.content_category != ContentCategory::kUnspecified &&
      !IsKnownContentCategory(static_cast<int>(filters.content_category))) {
    errors.Add("content_category", "must be a content category or unset");
  }
  if (filters.difficulty < 0 || filters.difficulty > kMaxDifficulty) {
    errors.Add("difficulty", absl::StrCat("must be 0 (any) to ", kMaxDifficulty));
  }
  if (!filters.tag.empty()) validation::CheckText(errors, "tag", filters.tag, 1, kMaxTag);
  if (!filters.stem_contains.empty()) {
    validation::CheckText(errors, "query", filters.stem_contains, 1, kMaxQuery);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  QuestionQuery query = filters;
  query.limit = *page_size + 1;
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(
      query.organization_id, "/", query.include_above, "/", static_cast<int>(query.type), "/",
      static_cast<int>(query.content_category), "/", query.difficulty, "/", query.tag, "/",
      query.stem_contains, "/", query.include_retired));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(
        const paging::KeysetCursor cursor,
        paging::DecodeKeysetToken(kQuestionPageKind, input.page_token, 1, fingerprint));
    query.after_id = cursor.keys[0];
  }
  return db::RunTransactionFor<QuestionPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<QuestionPage> {
        QuestionPage page;
        ASSIGN_OR_RETURN(page.questions, questions_.List(tx, query));
        page.next_page_token =
            paging::TrimToPage(page.questions, *page_size, kQuestionPageKind, fingerprint,
                               [](const Question& question) { return question.id; });
        return page;
      });
}

}  // namespace lms::assessment
