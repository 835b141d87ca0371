#include "services/statistics/scoped_standings.h"

#include "absl/strings/str_cat.h"
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

absl::StatusOr<std::optional<RollupView>> StandingsLoader::Rollup(db::Transaction& tx,
                                                                  ScopedStandings& standings,
                                                                  absl::Time now) const {
  const ResolvedScope& scope = standings.scope;
  if (!scope.current || scope.period.plan_id != 0) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<RollupView> view,
                   rollups_.View(tx, scope.period.year, scope.day, now));
  if (!view.has_value()) return std::nullopt;
  RETURN_IF_ERROR(LoadTree(tx, standings));
  standings.recounted.rules = view->rules;
  standings.stamp.rules = view->rules;
  standings.stamp.source = FiguresSource::kRollup;
  standings.stamp.rollup_lag_ms = view->lag_ms;
  return view;
}

absl::Status StandingsLoader::LoadTree(db::Transaction& tx, ScopedStandings& standings) const {
  const ResolvedScope& scope = standings.scope;
  ASSIGN_OR_RETURN(standings.recounted.tree, TreeOnDate::Load(tx, scope.day));
  if (!standings.recounted.tree.Exists(scope.root)) {
    return absl::NotFoundError(absl::StrCat("organisation ", scope.root, " did not exist on ",
                                            absl::FormatCivilTime(scope.day)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RollupView>> StandingsLoader::RollupOrTree(db::Transaction& tx,
                                                                        ScopedStandings& standings,
                                                                        absl::Time now) const {
  ASSIGN_OR_RETURN(std::optional<RollupView> view, Rollup(tx, standings, now));
  if (!view.has_value()) RETURN_IF_ERROR(LoadTree(tx, standings));
  return view;
}

absl::StatusOr<std::optional<SubtreeFigures>> StandingsLoader::RolledUpFigures(
    db::Transaction& tx, ScopedStandings& standings, absl::Time now) const {
  ASSIGN_OR_RETURN(const std::optional<RollupView> view, Rollup(tx, standings, now));
  if (!view.has_value()) return std::nullopt;
  const TreeOnDate& tree = standings.recounted.tree;
  ASSIGN_OR_RETURN(const auto rollups, rollups_.Rollups(tx, tree.Subtree(standings.scope.root)));
  std::map<int64_t, std::vector<CategoryFigures>> rows;
  for (const auto& [organization, organization_rows] : rollups) {
    for (const RollupRow& row : organization_rows) rows[organization].push_back(row.figures);
  }
  return AddUpOrganizations(tree, standings.scope.root, rows);
}

absl::Status StandingsLoader::Fill(db::Transaction& tx, ScopedStandings& standings,
                                   const std::optional<RollupView>& view) const {
  if (view.has_value()) {
    ASSIGN_OR_RETURN(
        standings.recounted.members,
        rollups_.StandingsIn(tx, standings.recounted.tree.Subtree(standings.scope.root)));
    return absl::OkStatus();
  }
  const ResolvedScope& scope = standings.scope;
  ASSIGN_OR_RETURN(standings.recounted,
                   recount_.Standings(tx, scope.root, scope.period, scope.day, scope.received_by));
  standings.stamp.rules = standings.recounted.rules;
  return absl::OkStatus();
}

absl::StatusOr<ScopedStandings> StandingsLoader::Load(db::Transaction& tx,
                                                      const ScopeRequest& request,
                                                      absl::Time now) const {
  ASSIGN_OR_RETURN(ScopedStandings standings, LoadScope(tx, request, now));
  ASSIGN_OR_RETURN(const std::optional<RollupView> view, Rollup(tx, standings, now));
  RETURN_IF_ERROR(Fill(tx, standings, view));
  return standings;
}

}  // namespace lms::statistics
