#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/assessment/assessment_references.h"
#include "services/assessment/attempt.h"
#include "services/assessment/attempt_draw.h"
#include "services/assessment/attempt_grader.h"
#include "services/assessment/attempt_repository.h"
#include "services/assessment/draw_pool_cache.h"
#include "services/assessment/exam_lease_repository.h"
#include "services/assessment/paper_repository.h"
#include "services/assessment/paper_service.h"

namespace lms::assessment {

// A member's answers in a save: by question id, in request order.
using AnswerSet = std::vector<std::pair<int64_t, Answer>>;

struct SaveOutcome {
  Attempt attempt;
  // Practice quizzes: the positions whose keys this save shows.
  std::vector<int32_t> feedback_positions;
};

// A graded attempt as the caller may see it.
struct ResultView {
  Attempt attempt;
  // Whether the answers, keys and explanations may be shown; if not yet, when.
  bool review_shown = false;
  absl::Time review_time = absl::InfinitePast();
};

struct StandingView {
  Standing standing;
  // -1: unlimited.
  int32_t attempts_left = -1;
};

struct AttemptPage {
  std::vector<Attempt> attempts;
  std::string next_page_token;
  StandingView standing;
};

struct OverrideOutcome {
  Standing standing;
  // The open attempt's new deadline, if one was extended.
  absl::Time open_attempt_deadline = absl::InfinitePast();
};

// Attempts: started (drawn and stored) or resumed, answered in sequenced saves, graded
// once by the member's submit or the server at the deadline plus grace. The server's
// clock rules. Which papers and attempts a caller may name is decided before these run
// (object kinds "paper" and "attempt", an attempt owned by its member). Thread-safe.
class AttemptService {
 public:
  AttemptService(db::ConnectionPool& pool, const Clock& clock, const PaperService& papers,
                 const AttemptRepository& attempts, const AttemptGrader& grader)
      : pool_(pool), clock_(clock), papers_(papers), attempts_(attempts), grader_(grader) {}

  [[nodiscard]] absl::StatusOr<Attempt> Start(const call::CallContext& call,
                                              int64_t paper_id) const;
  [[nodiscard]] absl::StatusOr<Attempt> Get(const call::CallContext& call,
                                            int64_t attempt_id) const;
  [[nodiscard]] absl::StatusOr<SaveOutcome> Save(const call::CallContext& call, int64_t attempt_id,
                                                 int64_t sequence, const AnswerSet& answers) const;
  // `sequence` 0 with no answers: no last save.
  [[nodiscard]] absl::StatusOr<ResultView> Submit(const call::CallContext& call, int64_t attempt_id,
                                                  int64_t sequence, const AnswerSet& answers) const;
  [[nodiscard]] absl::StatusOr<ResultView> Result(const call::CallContext& call,
                                                  int64_t attempt_id) const;
  [[nodiscard]] absl::StatusOr<AttemptPage> List(const call::CallContext& call, int64_t paper_id,
                                                 int64_t member_id, int page_size,
                                                 const std::string& page_token) const;
  // The caller's standing on a paper (members), for GetPaper.
  [[nodiscard]] absl::StatusOr<StandingView> StandingFor(const call::CallContext& call,
                                                         const Paper& paper) const;
  // A member's standing on a paper, in the caller's transaction.
  [[nodiscard]] absl::StatusOr<StandingView> StandingOf(db::Transaction& tx, const Paper& paper,
                                                        int64_t member_id) const;
  [[nodiscard]] absl::StatusOr<OverrideOutcome> GrantOverride(const call::CallContext& call,
                                                              int64_t paper_id, int64_t member_id,
                                                              int32_t extra_attempts,
                                                              int32_t extra_minutes,
                                                              const std::string& reason) const;
  // Grades up to `limit` open attempts whose deadline plus grace passed, each in its own
  // transaction; returns how many it graded (the task "assessment_overdue").
  [[nodiscard]] absl::StatusOr<int> GradeOverdue(absl::Time deadline, int limit) const;

  // The steps an offline kiosk exam shares with an online attempt (KioskExamService), in
  // the caller's transaction with the member's standing locked.
  //
  // Settles the member's open attempt: one past its time is graded as abandoned (a lease
  // never uploaded: expired); one still running is returned.
  [[nodiscard]] absl::StatusOr<std::optional<Attempt>> SettleOpen(db::Transaction& tx,
                                                                  const Paper& paper,
                                                                  Standing& standing,
                                                                  absl::Time now) const;
  // Whether a new attempt may start now: published, in its window, open to the member,
  // attempts left.
  [[nodiscard]] absl::Status CheckStartable(db::Transaction& tx, const Paper& paper,
                                            const Standing& standing, absl::Time now) const;
  // Draws and stores a new attempt for the caller; with `lease_due` (not InfinitePast) it
  // is leased to the caller's kiosk and due then.
  [[nodiscard]] absl::StatusOr<Attempt> Draw(db::Transaction& tx, const call::CallContext& call,
                                             const Paper& paper, Standing& standing, absl::Time now,
                                             absl::Time lease_due = absl::InfinitePast()) const;
  // Loads and locks an attempt for a change: the member's standing first, then the
  // attempt (the order every writer of both takes), its questions loaded.
  [[nodiscard]] absl::StatusOr<std::pair<Attempt, Standing>> LockForChange(
      db::Transaction& tx, int64_t attempt_id) const;
  // A graded attempt as `call`'s caller may see it now (the paper's review policy).
  [[nodiscard]] ResultView View(const call::CallContext& call, const Paper& paper, Attempt attempt,
                                absl::Time now) const;

 private:
  // Applies a save to a locked open attempt with its questions loaded.
  absl::Status ApplySave(Attempt& attempt, int64_t sequence, const AnswerSet& answers,
                         absl::Time now, std::vector<int32_t>& feedback,
                         std::vector<const AttemptQuestion*>& changed) const;
  // The paper's open-to-this-member check (course visible, plan's member...).
  absl::Status CheckEligible(db::Transaction& tx, const Paper& paper, int64_t member_id) const;
  // Draws a paper's questions: fixed ones from `pools.fixed`; drawn ones from each rule's
  // pool (kept for a few seconds in draw_pools_, checked after the draw).
  absl::StatusOr<std::vector<AttemptQuestion>> DrawFromPools(db::Transaction& tx,
                                                             const Paper& paper, DrawPools& pools,
                                                             absl::Time now,
                                                             bool use_kept = true) const;
  // Grades an open attempt past its time (and expires its lease, if leased).
  absl::Status GradeAbandoned(db::Transaction& tx, const Paper& paper, Attempt& attempt,
                              Standing& standing, absl::Time now) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PaperService& papers_;
  const AttemptRepository& attempts_;
  const AttemptGrader& grader_;
  const PaperRepository paper_rows_{};
  const AssessmentReferences references_{};
  const DrawPoolCache draw_pools_{};
  const ExamLeaseRepository leases_{};
};

}  // namespace lms::assessment
