#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/assessment/question.h"
#include "services/assessment/question_repository.h"
#include "services/enrollment/reference_lookup.h"

namespace lms::assessment {

struct ListQuestionsInput {
  QuestionQuery filters;
  int page_size = 0;
  std::string page_token;
};

struct QuestionPage {
  std::vector<Question> questions;
  std::string next_page_token;
};

// The question banks: questions of an organisation, edited as versions, retired never
// deleted. Which banks a caller may name is decided before these run (object kind
// "question", owned by its organisation). Thread-safe.
class QuestionBank {
 public:
  QuestionBank(db::ConnectionPool& pool, const Clock& clock, const QuestionRepository& questions)
      : pool_(pool), clock_(clock), questions_(questions) {}

  // `content`'s key names options by position (1-based).
  [[nodiscard]] absl::StatusOr<Question> Create(const call::CallContext& call,
                                                int64_t organization_id, QuestionType type,
                                                QuestionContent content) const;
  // `content`'s options keep their ids (0: new); the key names them by id or by minus their
  // position.
  [[nodiscard]] absl::StatusOr<Question> Update(const call::CallContext& call, int64_t question_id,
                                                int64_t expected_version,
                                                QuestionContent content) const;
  [[nodiscard]] absl::StatusOr<Question> Retire(const call::CallContext& call, int64_t question_id,
                                                int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Question> Get(const call::CallContext& call, int64_t question_id,
                                             int64_t version) const;
  [[nodiscard]] absl::StatusOr<QuestionPage> List(const call::CallContext& call,
                                                  const ListQuestionsInput& input) const;

  // ALREADY_EXISTS naming `field` when `code` is taken in the bank by another question.
  [[nodiscard]] absl::Status CheckCodeFree(db::Transaction& tx, int64_t organization_id,
                                           const std::string& code, int64_t question_id,
                                           const std::string& field) const;

 private:
  template <typename Mutate>
  absl::StatusOr<Question> Write(const call::CallContext& call, Mutate&& mutate) const;
  absl::StatusOr<Question> Load(db::Transaction& tx, int64_t question_id,
                                int64_t version = 0) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const QuestionRepository& questions_;
  const enrollment::ReferenceLookup references_{};
};

}  // namespace lms::assessment
