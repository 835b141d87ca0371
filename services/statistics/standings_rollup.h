#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/outbox/outbox_consumer.h"
#include "common/outbox/statistics_queue.h"
#include "common/time/clock.h"
#include "services/statistics/figures_recount.h"
#include "services/statistics/member_month_rollup.h"
#include "services/statistics/rollup_repository.h"

namespace lms::statistics {

// Keeps the statistics rollups current (README "Statistics"): each active member's
// standing for this year as of today (statistics_member_standing) and each organisation's
// direct members added up by category (statistics_organization_rollup), computed by the
// recount's own code for the members changes queued (statistics_queue: credits, study,
// completions; the outbox's member events), batch by batch; rebuilt whole when the China
// day or year turns (the pro-rata requirement and due dates move) or the rules change
// (plans, settings, the tree). Each batch runs in one transaction with the queue rows it
// took, which it deletes: a crash loses and doubles nothing, and recomputing from the
// state makes a retry harmless. One job at a time (the state row's lock). Thread-safe.
class StandingsRollup {
 public:
  StandingsRollup(db::ConnectionPool& pool, const Clock& clock);

  // Brings the rollups up to date, until `deadline`; returns the members recomputed (all
  // of them for a rebuild).
  [[nodiscard]] absl::StatusOr<int64_t> RunOnce(absl::Time deadline) const;

 private:
  // One transaction: a rebuild or a batch of the queue; 0 when there was nothing to do.
  absl::StatusOr<int64_t> RunBatch(absl::Time deadline) const;
  absl::StatusOr<int64_t> Rebuild(db::Transaction& tx, absl::CivilDay day,
                                  const std::string& fingerprint, absl::Time now) const;
  absl::StatusOr<int64_t> RecomputeQueued(db::Transaction& tx, absl::CivilDay day) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  // Each of `standings`' member-months (MemberMonths as of `day`) in place of those of
  // `member_ids` (which include them; a member not among the standings is left with none).
  absl::Status SaveMonths(db::Transaction& tx, const std::vector<int64_t>& member_ids,
                          const std::vector<MemberStanding>& standings, absl::CivilDay day) const;

  const RollupRepository rollups_{};
  const MemberMonthRollup months_{};
  const FiguresRecount recount_{};
  const outbox::StatisticsQueue queue_{};
  const outbox::OutboxConsumer member_events_;
};

}  // namespace lms::statistics
