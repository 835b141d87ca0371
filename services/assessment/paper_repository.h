#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/paper.h"

namespace lms::assessment {

// Filters of a paper listing; keyset-paged by id.
struct PaperQuery {
  int64_t organization_id = 0;
  bool include_subtree = false;
  // Members: the published papers of these organisations (theirs and the ones above).
  bool published_above_member = false;
  PaperKind kind = PaperKind::kUnspecified;
  PaperState state = PaperState::kUnspecified;
  int64_t course_id = 0;
  int64_t plan_id = 0;
  int64_t after_id = 0;
  int limit = 20;
};

// A question as a paper's publishing and drawing see it.
struct QuestionFacts {
  int64_t id = 0;
  int64_t organization_id = 0;
  QuestionType type = QuestionType::kUnspecified;
  QuestionState state = QuestionState::kUnspecified;
  int64_t version = 0;
  // Whether its bank is the paper's organisation's or one above it.
  bool usable = false;
};

// SQL for paper and its rules, fixed questions and points. Stateless; thread-safe.
class PaperRepository {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Paper& paper,
                                               absl::Time now) const;
  // Writes the header and replaces the rules, fixed questions and points.
  [[nodiscard]] absl::Status Save(db::Transaction& tx, const Paper& paper) const;
  // Replaces the rules, fixed questions and points.
  [[nodiscard]] absl::Status SaveParts(db::Transaction& tx, const Paper& paper) const;
  // `lock` locks the header for update.
  [[nodiscard]] absl::StatusOr<std::optional<Paper>> Find(db::Transaction& tx, int64_t id,
                                                          bool lock = false) const;
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> OrganizationOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const;
  [[nodiscard]] absl::StatusOr<std::vector<Paper>> List(db::Transaction& tx,
                                                        const PaperQuery& query) const;

  // The questions with these ids, as the paper of `organization_id` may use them.
  [[nodiscard]] absl::StatusOr<std::vector<QuestionFacts>> QuestionFactsFor(
      db::Transaction& tx, int64_t organization_id, const std::vector<int64_t>& ids) const;
  // The active questions a rule may draw for a paper of `organization_id`: id and version.
  [[nodiscard]] absl::StatusOr<std::vector<std::pair<int64_t, int64_t>>> Candidates(
      db::Transaction& tx, int64_t organization_id, const DrawRule& rule) const;
  // How many active questions a rule finds for a paper of `organization_id`.
  [[nodiscard]] absl::StatusOr<int64_t> CountCandidates(db::Transaction& tx,
                                                        int64_t organization_id,
                                                        const DrawRule& rule) const;
  // The published final test of a course, if any.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> PublishedFinalTest(db::Transaction& tx,
                                                                          int64_t course_id) const;
};

}  // namespace lms::assessment
