#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/question.h"

namespace lms::assessment {

// Filters of a bank listing; keyset-paged by id.
struct QuestionQuery {
  int64_t organization_id = 0;
  // Also the banks of the organisations above it.
  bool include_above = false;
  QuestionType type = QuestionType::kUnspecified;
  ContentCategory content_category = ContentCategory::kUnspecified;
  int32_t difficulty = 0;
  std::string tag;
  // A substring of the stem.
  std::string stem_contains;
  bool include_retired = false;
  int64_t after_id = 0;
  int limit = 20;
};

// A question version by id and version.
using QuestionVersionKey = std::pair<int64_t, int64_t>;

// SQL for question, question_version and question_tag. Stateless; thread-safe.
class QuestionRepository {
 public:
  // Inserts a new question at version 1 (its header, version row and tags); returns its id.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Question& question,
                                               absl::Time now) const;
  // Writes `question` as a new version (question.version), its header and its tags.
  [[nodiscard]] absl::Status SaveVersion(db::Transaction& tx, const Question& question,
                                         int64_t changed_by, absl::Time now) const;
  // Writes the header's state (retiring) and update time.
  [[nodiscard]] absl::Status SaveState(db::Transaction& tx, const Question& question) const;
  // The question with the content of `version` (0: the current one); `lock` locks the
  // header for update.
  [[nodiscard]] absl::StatusOr<std::optional<Question>> Find(db::Transaction& tx, int64_t id,
                                                             bool lock = false,
                                                             int64_t version = 0) const;
  // Questions by (id, version), for attempts; absent keys are left out.
  [[nodiscard]] absl::StatusOr<std::map<QuestionVersionKey, Question>> FindVersions(
      db::Transaction& tx, const std::vector<QuestionVersionKey>& keys) const;
  // The current versions of the questions of a bank with these codes, by code.
  [[nodiscard]] absl::StatusOr<std::map<std::string, Question>> FindByCodes(
      db::Transaction& tx, int64_t organization_id, const std::vector<std::string>& codes) const;
  // The bank (organisation) a question belongs to; nullopt for an unknown id. `lock`
  // share-locks the header.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> OrganizationOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const;
  // Current versions matching `query`, by id, at most query.limit.
  [[nodiscard]] absl::StatusOr<std::vector<Question>> List(db::Transaction& tx,
                                                           const QuestionQuery& query) const;
};

}  // namespace lms::assessment
