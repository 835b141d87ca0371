#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/attempt.h"

namespace lms::assessment {

// One override granted, for the record.
struct OverrideGrant {
  int64_t paper_id = 0;
  int64_t member_id = 0;
  int32_t extra_attempts = 0;
  int32_t extra_seconds = 0;
  std::string reason;
  int64_t granted_by = 0;
};

// SQL for attempt, attempt_question, paper_standing, paper_override and the statistics
// queue. Stateless; thread-safe.
class AttemptRepository {
 public:
  // Inserts an open attempt and its questions (one multi-row statement); returns its id.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Attempt& attempt) const;
  // The attempt's header; `lock` locks it for update (every save and grading does).
  [[nodiscard]] absl::StatusOr<std::optional<Attempt>> Find(db::Transaction& tx, int64_t id,
                                                            bool lock = false) const;
  // Its questions in order, with answers and grading (the versions' content not loaded).
  [[nodiscard]] absl::StatusOr<std::vector<AttemptQuestion>> Questions(db::Transaction& tx,
                                                                       int64_t attempt_id) const;
  // Stores the answers of `changed` questions (and their feedback marks).
  [[nodiscard]] absl::Status SaveAnswers(db::Transaction& tx, int64_t attempt_id,
                                         const std::vector<const AttemptQuestion*>& changed) const;
  // Stores every question's grading.
  [[nodiscard]] absl::Status SaveGrading(db::Transaction& tx, const Attempt& attempt) const;
  // Writes the header: state, deadline, save sequence, result.
  [[nodiscard]] absl::Status SaveHeader(db::Transaction& tx, const Attempt& attempt) const;
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> MemberOf(db::Transaction& tx, int64_t id,
                                                                bool lock) const;
  // A member's attempts at a paper, newest first, below attempt number `before` (0: from
  // the newest), at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<Attempt>> List(db::Transaction& tx, int64_t paper_id,
                                                          int64_t member_id, int32_t before,
                                                          int limit) const;
  // Graded attempts of a member at a paper (for the score policy).
  [[nodiscard]] absl::StatusOr<std::vector<Attempt>> Graded(db::Transaction& tx, int64_t paper_id,
                                                            int64_t member_id) const;
  // Open attempts whose deadline plus grace passed before `now`, oldest first.
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> Overdue(db::Transaction& tx, absl::Time now,
                                                             int limit) const;

  // The member's standing on the paper, created if missing and locked for update.
  [[nodiscard]] absl::StatusOr<Standing> LockStanding(db::Transaction& tx, int64_t paper_id,
                                                      int64_t member_id) const;
  [[nodiscard]] absl::StatusOr<std::optional<Standing>> FindStanding(db::Transaction& tx,
                                                                     int64_t paper_id,
                                                                     int64_t member_id) const;
  [[nodiscard]] absl::Status SaveStanding(db::Transaction& tx, const Standing& standing) const;
  [[nodiscard]] absl::Status InsertOverride(db::Transaction& tx, const OverrideGrant& grant,
                                            absl::Time now) const;
  // Queues a graded attempt for the statistics job.
  [[nodiscard]] absl::Status QueueForStats(db::Transaction& tx, int64_t attempt_id,
                                           absl::Time graded_time) const;
};

}  // namespace lms::assessment
