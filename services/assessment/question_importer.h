#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/scope_checker.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/assessment/question.h"
#include "services/assessment/question_repository.h"

namespace lms::assessment {

inline constexpr size_t kMaxImportQuestions = 20'000;

struct QuestionRowError {
  int line = 0;
  std::string field;
  std::string reason;
};

// One row of an import file: the key names options by position (1-based).
struct QuestionRow {
  int line = 0;
  QuestionType type = QuestionType::kUnspecified;
  QuestionContent content;
};

struct QuestionImport {
  int64_t organization_id = 0;
  std::vector<QuestionRow> rows;
  bool valid_rows_only = false;
  bool dry_run = false;
};

struct QuestionImportOutcome {
  std::vector<QuestionRowError> errors;
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// Bulk import into one bank, in one transaction: nothing unless every row is valid (or,
// with valid_rows_only, the valid rows). A row whose code names a question of the bank
// updates it: options keep their ids where their text is unchanged, and identical content
// counts as unchanged (a re-import is harmless). Thread-safe.
class QuestionImporter {
 public:
  // `scope` checks the bank's organisation against the caller (a stream's call carries
  // no scoped ids: its organisation arrives in the first message).
  QuestionImporter(db::ConnectionPool& pool, const Clock& clock,
                   const QuestionRepository& questions, const auth::ScopeChecker& scope)
      : pool_(pool), clock_(clock), questions_(questions), scope_(scope) {}

  [[nodiscard]] absl::StatusOr<QuestionImportOutcome> Import(const call::CallContext& call,
                                                             QuestionImport import) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const QuestionRepository& questions_;
  const auth::ScopeChecker& scope_;
};

}  // namespace lms::assessment
