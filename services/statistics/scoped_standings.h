#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/statistics/figures_recount.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/rollup_repository.h"
#include "services/statistics/statistics_scope.h"

namespace lms::statistics {

// A request's scope resolved, every member's standing in it, and the stamp its report
// starts from (the hash is the report's own).
struct ScopedStandings {
  ResolvedScope scope;
  RecountedStandings recounted;
  ReportStamp stamp;

  [[nodiscard]] std::vector<int64_t> member_ids() const;
};

// Where every report built on members' standings gets them: the scope checked, then for
// today's figures of a year with everything received, the rollups' standings when they
// are fresh (StandingsRollup; the stamp says SOURCE_ROLLUP and the lag); otherwise the
// standings recounted as of the scope's day. Inside the caller's transaction: one
// snapshot for the whole report. Stateless; thread-safe.
class StandingsLoader {
 public:
  // `now` is read before the transaction's first row: what was received by then is in
  // the snapshot, so it is the stamp's received-by when the request sets none.
  [[nodiscard]] absl::StatusOr<ScopedStandings> Load(db::Transaction& tx,
                                                     const ScopeRequest& request,
                                                     absl::Time now) const;
  // For a scope the rollups answer (today, a year, everything received) while they are
  // fresh: the subtree's figures from the organisation rollups, the stamp made theirs;
  // nullopt otherwise.
  [[nodiscard]] absl::StatusOr<std::optional<SubtreeFigures>> RolledUpFigures(
      db::Transaction& tx, ScopedStandings& standings, absl::Time now) const;
  // The rollups' view when they answer the scope (today, a year, everything received, and
  // fresh), with the tree of the day loaded and the stamp made theirs; nullopt otherwise.
  [[nodiscard]] absl::StatusOr<std::optional<RollupView>> Rollup(db::Transaction& tx,
                                                                 ScopedStandings& standings,
                                                                 absl::Time now) const;
  // Rollup's answer, and when the rollups do not answer, the tree of the day loaded alone:
  // for a report that recounts its members a batch at a time (MemberDetailWalk).
  [[nodiscard]] absl::StatusOr<std::optional<RollupView>> RollupOrTree(db::Transaction& tx,
                                                                       ScopedStandings& standings,
                                                                       absl::Time now) const;
  // Every member's standing for a scope LoadScope resolved: the rollups' (when `view`,
  // from Rollup) or the recount's.
  [[nodiscard]] absl::Status Fill(db::Transaction& tx, ScopedStandings& standings,
                                  const std::optional<RollupView>& view) const;
  // The scope alone and a stamp for it (reports that count organisations, not members).
  [[nodiscard]] absl::StatusOr<ScopedStandings> LoadScope(db::Transaction& tx,
                                                          const ScopeRequest& request,
                                                          absl::Time now) const;

 private:
  // The tree of the scope's day; NOT_FOUND when its root did not exist then.
  absl::Status LoadTree(db::Transaction& tx, ScopedStandings& standings) const;

  const ScopeResolver resolver_{};
  const FiguresRecount recount_{};
  const RollupRepository rollups_{};
};

}  // namespace lms::statistics
