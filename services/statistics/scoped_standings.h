#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/statistics/figures_recount.h"
#include "services/statistics/report_stamp.h"
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

// Where every report built on members' standings gets them: the scope checked, then the
// standings recounted as of its day inside the caller's transaction (one snapshot for the
// whole report). Stateless; thread-safe.
class StandingsLoader {
 public:
  // `now` is read before the transaction's first row: what was received by then is in
  // the snapshot, so it is the stamp's received-by when the request sets none.
  [[nodiscard]] absl::StatusOr<ScopedStandings> Load(db::Transaction& tx,
                                                     const ScopeRequest& request,
                                                     absl::Time now) const;
  // The scope alone and a stamp for it (reports that count organisations, not members).
  [[nodiscard]] absl::StatusOr<ScopedStandings> LoadScope(db::Transaction& tx,
                                                          const ScopeRequest& request,
                                                          absl::Time now) const;

 private:
  const ScopeResolver resolver_{};
  const FiguresRecount recount_{};
};

}  // namespace lms::statistics
