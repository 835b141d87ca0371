#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/enrollment/plan_repository.h"
#include "services/statistics/figures_recount.h"

namespace lms::statistics {

// What a statistics request asks to count (lms.v1.StatisticsScope).
struct ScopeRequest {
  int64_t organization_id = 0;
  // One of the two.
  int year = 0;
  int64_t plan_id = 0;
  std::optional<absl::CivilDay> as_of;
  std::optional<absl::Time> received_by;
};

// A request's scope, checked and completed.
struct ResolvedScope {
  int64_t root = 0;
  RecountPeriod period;
  absl::CivilDay day;
  // The bound the figures are counted with (InfiniteFuture: everything received).
  absl::Time received_by = absl::InfiniteFuture();
  // The bound a report states: the request's, or when unset the moment the figures were
  // read (asking again with it gives the same figures).
  absl::Time stamp_received_by = absl::InfinitePast();
  // Whether the figures are today's with everything received: what the rollups hold.
  bool current = false;
};

// A fingerprint of `scope` and a listing's own filters (`extra`) for its page tokens: a
// token is refused under any other scope.
[[nodiscard]] uint64_t PageFingerprint(const ResolvedScope& scope, absl::string_view extra);

// Checks a scope and fills in its defaults: the as-of day is today (China time), or the
// period's last day once the year is over; a plan's year is the plan's. A plan must be
// published (or closed) and set by the root, an organisation above it, or one within its
// subtree: a branch admin reads the branch's figures under the committee's plan, which the
// authorization layer alone would refuse as "outside the subtree" (plans are not secret:
// the members they cover see them). Stateless; thread-safe.
class ScopeResolver {
 public:
  // INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown plan; FAILED_PRECONDITION
  // for a draft plan.
  [[nodiscard]] absl::StatusOr<ResolvedScope> Resolve(db::Transaction& tx,
                                                      const ScopeRequest& request,
                                                      absl::Time now) const;

 private:
  const enrollment::PlanRepository plans_{};
};

}  // namespace lms::statistics
