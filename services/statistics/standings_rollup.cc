#include "services/statistics/standings_rollup.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/members_on_date.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {
namespace {

// Queue rows a batch takes: a few hundred members' recount in one short transaction.
constexpr int kBatchRows = 1000;

// Each organisation's rollup rows from its members' standings (every organisation of
// `organizations` gets its rows replaced; one without members gets none).
std::map<int64_t, std::vector<RollupRow>> RowsByOrganization(
    const std::vector<MemberStanding>& standings) {
  std::map<int64_t, std::vector<MemberStanding>> by_organization;
  for (const MemberStanding& member : standings) {
    by_organization[member.organization_id].push_back(member);
  }
  std::map<int64_t, std::vector<RollupRow>> rows;
  for (const auto& [organization, members] : by_organization) {
    rows[organization] = RollupRowsOf(members);
  }
  return rows;
}

}  // namespace

StandingsRollup::StandingsRollup(db::ConnectionPool& pool, const Clock& clock)
    : pool_(pool),
      clock_(clock),
      // Member events (joined, categories or status changed, transferred) queue the member.
      member_events_(
          pool, clock, "statistics",
          [this](db::Transaction& tx, const std::vector<outbox::DeliveredEvent>& events) {
            std::vector<int64_t> members;
            for (const outbox::DeliveredEvent& event : events) {
              if (event.member_id != 0) members.push_back(event.member_id);
            }
            return queue_.Enqueue(tx, std::move(members), clock_.Now());
          }) {}

absl::StatusOr<int64_t> StandingsRollup::RunOnce(absl::Time deadline) const {
  RETURN_IF_ERROR(member_events_.RunOnce(deadline).status());
  int64_t recomputed = 0;
  while (absl::Now() < deadline) {
    ASSIGN_OR_RETURN(const int64_t batch, RunBatch(deadline));
    if (batch == 0) break;
    recomputed += batch;
  }
  return recomputed;
}

absl::StatusOr<int64_t> StandingsRollup::RunBatch(absl::Time deadline) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(deadline));
  // The lock first: the snapshot every read below sees starts after it, so a change
  // committed before this job's turn is in it.
  ASSIGN_OR_RETURN(const RollupState state, rollups_.State(tx, true));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  ASSIGN_OR_RETURN(const std::string fingerprint, rollups_.RulesFingerprint(tx));
  int64_t done = 0;
  if (state.year != today.year() || state.standing_day != today ||
      state.rules_fingerprint != fingerprint) {
    ASSIGN_OR_RETURN(done, Rebuild(tx, today, fingerprint, now));
    // A rebuild of an empty site recomputes nobody but is still progress.
    done = std::max<int64_t>(done, 1);
  } else {
    ASSIGN_OR_RETURN(done, RecomputeQueued(tx, today));
  }
  RETURN_IF_ERROR(tx.Commit());
  return done;
}

absl::StatusOr<int64_t> StandingsRollup::Rebuild(db::Transaction& tx, absl::CivilDay day,
                                                 const std::string& fingerprint,
                                                 absl::Time now) const {
  // Whatever is queued now is in this snapshot: the rebuild covers it.
  ASSIGN_OR_RETURN(const std::vector<QueuedMember> queued,
                   rollups_.Queued(tx, std::numeric_limits<int>::max()));
  RETURN_IF_ERROR(rollups_.Clear(tx));
  RETURN_IF_ERROR(months_.Clear(tx));
  ASSIGN_OR_RETURN(const TreeOnDate tree, TreeOnDate::Load(tx, day));
  RollupState state;
  state.year = static_cast<int>(day.year());
  state.standing_day = day;
  state.rules_fingerprint = fingerprint;
  state.build_time = now;
  std::vector<MemberStanding> all;
  for (const int64_t root : tree.Roots()) {
    ASSIGN_OR_RETURN(const std::vector<MemberOnDate> members,
                     MembersOnDate(tx, tree.Subtree(root), day));
    ASSIGN_OR_RETURN(std::vector<MemberStanding> standings,
                     recount_.StandingsOf(tx, tree, members, RecountPeriod{state.year, 0}, day,
                                          absl::InfiniteFuture(), state.rules));
    all.insert(all.end(), standings.begin(), standings.end());
  }
  RETURN_IF_ERROR(rollups_.SaveStandings(tx, all));
  RETURN_IF_ERROR(rollups_.ReplaceRollups(tx, {}, RowsByOrganization(all)));
  // Cleared above: nothing to delete first.
  RETURN_IF_ERROR(SaveMonths(tx, {}, all, day));
  std::vector<int64_t> ids;
  for (const QueuedMember& row : queued) ids.push_back(row.id);
  RETURN_IF_ERROR(rollups_.DeleteQueued(tx, ids));
  RETURN_IF_ERROR(rollups_.SaveState(tx, state));
  return static_cast<int64_t>(all.size());
}

absl::Status StandingsRollup::SaveMonths(db::Transaction& tx,
                                         const std::vector<int64_t>& member_ids,
                                         const std::vector<MemberStanding>& standings,
                                         absl::CivilDay day) const {
  RETURN_IF_ERROR(months_.Delete(tx, member_ids));
  std::vector<int64_t> active;
  active.reserve(standings.size());
  for (const MemberStanding& member : standings) active.push_back(member.member_id);
  return ForEachMemberMonthsChunk(
      tx, active, static_cast<int>(day.year()), day, absl::InfiniteFuture(),
      [&](const std::vector<MemberMonth>& rows) { return months_.Insert(tx, rows); });
}

absl::StatusOr<int64_t> StandingsRollup::RecomputeQueued(db::Transaction& tx,
                                                         absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const std::vector<QueuedMember> queued, rollups_.Queued(tx, kBatchRows));
  if (queued.empty()) return 0;
  std::set<int64_t> distinct;
  std::vector<int64_t> ids;
  for (const QueuedMember& row : queued) {
    distinct.insert(row.member_id);
    ids.push_back(row.id);
  }
  const std::vector<int64_t> member_ids(distinct.begin(), distinct.end());
  ASSIGN_OR_RETURN(const auto before, rollups_.OrganizationsOf(tx, member_ids));
  ASSIGN_OR_RETURN(const TreeOnDate tree, TreeOnDate::Load(tx, day));
  ASSIGN_OR_RETURN(const std::vector<MemberOnDate> current, MembersByIdOnDate(tx, member_ids, day));
  RuleVersions rules;
  ASSIGN_OR_RETURN(
      const std::vector<MemberStanding> standings,
      recount_.StandingsOf(tx, tree, current, RecountPeriod{static_cast<int>(day.year()), 0}, day,
                           absl::InfiniteFuture(), rules));
  RETURN_IF_ERROR(rollups_.SaveStandings(tx, standings));
  // Members no longer active (left, transferred out of the enterprise) leave the rollups.
  std::set<int64_t> affected;
  std::set<int64_t> gone(distinct);
  for (const MemberStanding& member : standings) {
    gone.erase(member.member_id);
    affected.insert(member.organization_id);
  }
  for (const auto& [member, organization] : before) affected.insert(organization);
  RETURN_IF_ERROR(rollups_.DeleteStandings(tx, {gone.begin(), gone.end()}));
  RETURN_IF_ERROR(SaveMonths(tx, member_ids, standings, day));
  const std::vector<int64_t> organizations(affected.begin(), affected.end());
  ASSIGN_OR_RETURN(const std::vector<MemberStanding> members,
                   rollups_.StandingsIn(tx, organizations));
  RETURN_IF_ERROR(rollups_.ReplaceRollups(tx, organizations, RowsByOrganization(members)));
  RETURN_IF_ERROR(rollups_.DeleteQueued(tx, ids));
  return static_cast<int64_t>(member_ids.size());
}

}  // namespace lms::statistics
