#include "services/statistics/scoped_standings.h"

#include "common/status/status_macros.h"

namespace lms::statistics {

std::vector<int64_t> ScopedStandings::member_ids() const {
  std::vector<int64_t> ids;
  ids.reserve(recounted.members.size());
  for (const MemberStanding& member : recounted.members) ids.push_back(member.member_id);
  return ids;
}

absl::StatusOr<ScopedStandings> StandingsLoader::LoadScope(db::Transaction& tx,
                                                           const ScopeRequest& request,
                                                           absl::Time now) const {
  ScopedStandings standings;
  ASSIGN_OR_RETURN(standings.scope, resolver_.Resolve(tx, request, now));
  ReportStamp& stamp = standings.stamp;
  stamp.as_of = standings.scope.day;
  stamp.received_by = standings.scope.stamp_received_by;
  stamp.generate_time = now;
  stamp.source = FiguresSource::kRecount;
  return standings;
}

absl::StatusOr<ScopedStandings> StandingsLoader::Load(db::Transaction& tx,
                                                      const ScopeRequest& request,
                                                      absl::Time now) const {
  ASSIGN_OR_RETURN(ScopedStandings standings, LoadScope(tx, request, now));
  const ResolvedScope& scope = standings.scope;
  ASSIGN_OR_RETURN(standings.recounted,
                   recount_.Standings(tx, scope.root, scope.period, scope.day, scope.received_by));
  standings.stamp.rules = standings.recounted.rules;
  return standings;
}

}  // namespace lms::statistics
