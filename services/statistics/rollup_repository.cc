#include "services/statistics/rollup_repository.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/batched_query.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/statistics/category_figures_columns.h"

namespace lms::statistics {
namespace {

constexpr char kState[] =
    "SELECT year, standing_day, rules_fingerprint, setting_change_ids, plan_versions,"
    " build_time FROM statistics_rollup_state WHERE id = 1";
constexpr char kSaveState[] =
    "UPDATE statistics_rollup_state SET year = ?, standing_day = ?, rules_fingerprint = ?,"
    " setting_change_ids = ?, plan_versions = ?, build_time = ? WHERE id = 1";
// Plans (each edit or publication bumps a version), setting changes and tree moves (each a
// history row): counts and sums that any committed change alters.
constexpr char kFingerprint[] =
    "SELECT CONCAT((SELECT COUNT(*) FROM training_plan), '/',"
    " (SELECT COALESCE(SUM(version), 0) FROM training_plan), '/',"
    " (SELECT COUNT(*) FROM setting_change), '/',"
    " (SELECT COUNT(*) FROM organization_parent_history))";
constexpr char kQueued[] = "SELECT id, member_id FROM statistics_queue ORDER BY id LIMIT ?";
constexpr char kOldestQueued[] = "SELECT queued_time FROM statistics_queue ORDER BY id LIMIT 1";
constexpr char kDeleteQueuedPrefix[] = "DELETE FROM statistics_queue WHERE id IN (";
constexpr char kOrganizationsOfPrefix[] =
    "SELECT member_id, organization_id FROM statistics_member_standing WHERE member_id IN (";
constexpr char kStandingColumns[] =
    "SELECT member_id, organization_id, category_mask, in_plan, hours_plan_id, overdue_plan_id,"
    " required_hundredths, expected_hundredths, credited_hundredths, required_courses,"
    " completed_courses, overdue_courses, study_ms, last_study FROM statistics_member_standing ";
constexpr char kBehindOrder[] = " ORDER BY shortfall_hundredths DESC, member_id DESC LIMIT ?";
constexpr char kSaveStandingsPrefix[] =
    "REPLACE INTO statistics_member_standing (member_id, organization_id, category_mask,"
    " in_plan, hours_plan_id, overdue_plan_id, required_hundredths, expected_hundredths,"
    " credited_hundredths, required_courses, completed_courses, overdue_courses, study_ms,"
    " last_study, behind, shortfall_hundredths) VALUES ";
constexpr char kStandingRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kDeleteStandingsPrefix[] =
    "DELETE FROM statistics_member_standing WHERE member_id IN (";
constexpr char kDeleteRollupsPrefix[] =
    "DELETE FROM statistics_organization_rollup WHERE organization_id IN (";
// Organisation, the figures, then those behind and overdue.
constexpr int kRollupColumns = 1 + kCategoryFigureColumnCount + 2;
constexpr char kRollupsSuffix[] = ") ORDER BY organization_id, category";

MemberStanding StandingFromRow(const db::Row& row) {
  MemberStanding m;
  m.member_id = row.Int64(1);
  m.organization_id = row.Int64(2);
  m.category_mask = row.Int64(3);
  m.in_plan = row.Bool(4);
  m.hours_plan_id = row.Int64(5);
  m.overdue_plan_id = row.Int64(6);
  m.required_hundredths = row.Int64(7);
  m.expected_hundredths = row.Int64(8);
  m.credited_hundredths = row.Int64(9);
  m.required_courses = static_cast<int32_t>(row.Int64(10));
  m.completed_courses = static_cast<int32_t>(row.Int64(11));
  m.overdue_courses = static_cast<int32_t>(row.Int64(12));
  m.study_ms = row.Int64(13);
  m.last_study = row.Time(14);
  return m;
}

// "behind = 1" and the organisation and category filters of the behind listing, with
// their parameters (organisations padded: few statement shapes).
std::string BehindFilter(const std::vector<int64_t>& organization_ids, int category,
                         std::vector<db::Param>& params) {
  std::string where = "WHERE behind = 1";
  if (!organization_ids.empty()) {
    const size_t marks = db::AppendPadded(organization_ids, params);
    absl::StrAppend(&where, " AND organization_id IN (", db::BindMarks(marks), ")");
  }
  if (category != 0) {
    absl::StrAppend(&where, " AND (category_mask & ?) <> 0");
    params.emplace_back(int64_t{1} << category);
  }
  return where;
}

// Multi-row statement of `size` rows of `row_marks` after `prefix`.
std::string Rows(const char* prefix, const char* row_marks, size_t size) {
  return absl::StrCat(prefix, absl::StrJoin(std::vector<std::string>(size, row_marks), ", "));
}

}  // namespace

std::pair<std::string, std::string> RulesText(const RuleVersions& rules) {
  std::vector<std::string> plans;
  for (const auto& [plan, version] : rules.plan_versions) {
    plans.push_back(absl::StrCat(plan, ":", version));
  }
  return {absl::StrJoin(rules.setting_change_ids, ","), absl::StrJoin(plans, ",")};
}

RuleVersions RulesFromText(const std::string& settings, const std::string& plans) {
  RuleVersions rules;
  for (const absl::string_view id : absl::StrSplit(settings, ',', absl::SkipEmpty())) {
    int64_t value = 0;
    if (absl::SimpleAtoi(id, &value)) rules.setting_change_ids.insert(value);
  }
  for (const absl::string_view pair : absl::StrSplit(plans, ',', absl::SkipEmpty())) {
    const std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(pair, ':');
    int64_t plan = 0;
    int version = 0;
    if (absl::SimpleAtoi(parts.first, &plan) && absl::SimpleAtoi(parts.second, &version)) {
      rules.plan_versions.emplace(plan, version);
    }
  }
  return rules;
}

std::vector<RollupRow> RollupRowsOf(const std::vector<MemberStanding>& members) {
  const OrganizationFigures figures = FiguresOf(0, members);
  std::vector<RollupRow> rows;
  for (const CategoryFigures& category : figures.categories) {
    RollupRow row;
    row.figures = category;
    for (const MemberStanding& member : members) {
      if (category.category != 0 &&
          (member.category_mask & (int64_t{1} << category.category)) == 0) {
        continue;
      }
      row.members_behind += member.behind() ? 1 : 0;
      row.members_overdue += member.overdue_courses > 0 ? 1 : 0;
    }
    rows.push_back(row);
  }
  return rows;
}

absl::StatusOr<RollupState> RollupRepository::State(db::Transaction& tx, bool lock) const {
  RollupState state;
  bool found = false;
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat(kState, lock ? " FOR UPDATE" : ""), {}, [&](const db::Row& row) {
        found = true;
        state.year = static_cast<int>(row.Int64(1));
        state.standing_day = row.Day(2).value_or(absl::CivilDay());
        state.rules_fingerprint = row.String(3);
        state.rules = RulesFromText(row.String(4), row.String(5));
        state.build_time = row.Time(6);
      }));
  if (!found) return absl::InternalError("statistics_rollup_state has no row (migration 0020)");
  return state;
}

absl::StatusOr<std::optional<RollupView>> RollupRepository::View(db::Transaction& tx, int year,
                                                                 absl::CivilDay day,
                                                                 absl::Time now) const {
  ASSIGN_OR_RETURN(const RollupState state, State(tx, false));
  if (state.year != year || state.standing_day != day) return std::nullopt;
  ASSIGN_OR_RETURN(const std::string fingerprint, RulesFingerprint(tx));
  if (fingerprint != state.rules_fingerprint) return std::nullopt;
  RollupView view;
  view.rules = state.rules;
  ASSIGN_OR_RETURN(const std::optional<absl::Time> oldest, OldestQueued(tx));
  if (oldest.has_value()) {
    view.lag_ms = std::max<int64_t>(0, absl::ToInt64Milliseconds(now - *oldest));
  }
  return view;
}

absl::Status RollupRepository::SaveState(db::Transaction& tx, const RollupState& state) const {
  const auto [settings, plans] = RulesText(state.rules);
  return tx
      .Execute(kSaveState, {state.year, state.standing_day, state.rules_fingerprint, settings,
                            plans, state.build_time})
      .status();
}

absl::StatusOr<std::string> RollupRepository::RulesFingerprint(db::Transaction& tx) const {
  std::string fingerprint;
  RETURN_IF_ERROR(
      tx.Query(kFingerprint, {}, [&](const db::Row& row) { fingerprint = row.String(1); }));
  return fingerprint;
}

absl::StatusOr<std::vector<QueuedMember>> RollupRepository::Queued(db::Transaction& tx,
                                                                   int limit) const {
  std::vector<QueuedMember> queued;
  RETURN_IF_ERROR(tx.Query(kQueued, {limit}, [&](const db::Row& row) {
    queued.push_back({row.Int64(1), row.Int64(2)});
  }));
  return queued;
}

absl::StatusOr<std::optional<absl::Time>> RollupRepository::OldestQueued(
    db::Transaction& tx) const {
  std::optional<absl::Time> oldest;
  RETURN_IF_ERROR(tx.Query(kOldestQueued, {}, [&](const db::Row& row) { oldest = row.Time(1); }));
  return oldest;
}

absl::Status RollupRepository::DeleteQueued(db::Transaction& tx,
                                            const std::vector<int64_t>& ids) const {
  return db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(ids.begin() + begin, ids.begin() + begin + size);
    return tx.Execute(absl::StrCat(kDeleteQueuedPrefix, db::BindMarks(size), ")"), params).status();
  });
}

absl::StatusOr<std::map<int64_t, int64_t>> RollupRepository::OrganizationsOf(
    db::Transaction& tx, const std::vector<int64_t>& member_ids) const {
  std::map<int64_t, int64_t> organizations;
  RETURN_IF_ERROR(
      db::QueryForIds(tx, kOrganizationsOfPrefix, ")", {}, member_ids,
                      [&](const db::Row& row) { organizations[row.Int64(1)] = row.Int64(2); }));
  return organizations;
}

absl::StatusOr<std::vector<MemberStanding>> RollupRepository::StandingsIn(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids) const {
  std::vector<MemberStanding> standings;
  RETURN_IF_ERROR(db::QueryForIds(
      tx, absl::StrCat(kStandingColumns, "WHERE organization_id IN ("), ")", {}, organization_ids,
      [&](const db::Row& row) { standings.push_back(StandingFromRow(row)); }));
  std::sort(
      standings.begin(), standings.end(),
      [](const MemberStanding& a, const MemberStanding& b) { return a.member_id < b.member_id; });
  return standings;
}

absl::StatusOr<int64_t> RollupRepository::CountIn(db::Transaction& tx,
                                                  const std::vector<int64_t>& organization_ids,
                                                  int category) const {
  int64_t count = 0;
  const int64_t mask = category == 0 ? 0 : int64_t{1} << category;
  RETURN_IF_ERROR(db::QueryForIds(
      tx,
      "SELECT COUNT(*) FROM statistics_member_standing WHERE (? = 0 OR category_mask & ? <> 0)"
      " AND organization_id IN (",
      ")", {mask, mask}, organization_ids, [&](const db::Row& row) { count += row.Int64(1); }));
  return count;
}

absl::StatusOr<std::vector<MemberStanding>> RollupRepository::BehindPage(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids, int category,
    const std::optional<std::pair<int64_t, int64_t>>& after, int limit) const {
  std::vector<db::Param> params;
  std::string sql =
      absl::StrCat(kStandingColumns, BehindFilter(organization_ids, category, params));
  if (after.has_value()) {
    absl::StrAppend(
        &sql, " AND (shortfall_hundredths < ? OR (shortfall_hundredths = ? AND member_id < ?))");
    params.insert(params.end(), {-after->first, -after->first, -after->second});
  }
  absl::StrAppend(&sql, kBehindOrder);
  params.emplace_back(limit);
  std::vector<MemberStanding> page;
  RETURN_IF_ERROR(
      tx.Query(sql, params, [&](const db::Row& row) { page.push_back(StandingFromRow(row)); }));
  return page;
}

absl::StatusOr<int64_t> RollupRepository::BehindCount(db::Transaction& tx,
                                                      const std::vector<int64_t>& organization_ids,
                                                      int category) const {
  std::vector<db::Param> params;
  const std::string sql = absl::StrCat("SELECT COUNT(*) FROM statistics_member_standing ",
                                       BehindFilter(organization_ids, category, params));
  ASSIGN_OR_RETURN(const std::optional<int64_t> count, tx.QueryInt64(sql, params));
  return count.value_or(0);
}

absl::Status RollupRepository::SaveStandings(db::Transaction& tx,
                                             const std::vector<MemberStanding>& standings) const {
  return db::ForEachBatch(standings.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 16);
    for (size_t i = begin; i < begin + size; ++i) {
      const MemberStanding& m = standings[i];
      params.insert(
          params.end(),
          {m.member_id, m.organization_id, m.category_mask, db::Param::Bool(m.in_plan),
           m.hours_plan_id, m.overdue_plan_id, m.required_hundredths, m.expected_hundredths,
           m.credited_hundredths, m.required_courses, m.completed_courses, m.overdue_courses,
           m.study_ms, db::Param::TimeOrNull(m.last_study), db::Param::Bool(m.behind()),
           m.shortfall_hundredths()});
    }
    return tx.Execute(Rows(kSaveStandingsPrefix, kStandingRow, size), params).status();
  });
}

absl::Status RollupRepository::DeleteStandings(db::Transaction& tx,
                                               const std::vector<int64_t>& member_ids) const {
  return db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(member_ids.begin() + begin,
                                        member_ids.begin() + begin + size);
    return tx.Execute(absl::StrCat(kDeleteStandingsPrefix, db::BindMarks(size), ")"), params)
        .status();
  });
}

absl::Status RollupRepository::ReplaceRollups(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids,
    const std::map<int64_t, std::vector<RollupRow>>& rows) const {
  RETURN_IF_ERROR(db::ForEachBatch(organization_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(organization_ids.begin() + begin,
                                        organization_ids.begin() + begin + size);
    return tx.Execute(absl::StrCat(kDeleteRollupsPrefix, db::BindMarks(size), ")"), params)
        .status();
  }));
  std::vector<std::pair<int64_t, const RollupRow*>> flat;
  for (const auto& [organization, organization_rows] : rows) {
    for (const RollupRow& row : organization_rows) flat.emplace_back(organization, &row);
  }
  return db::ForEachBatch(flat.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * kRollupColumns);
    for (size_t i = begin; i < begin + size; ++i) {
      const RollupRow& row = *flat[i].second;
      params.emplace_back(flat[i].first);
      AppendCategoryFigures(row.figures, params);
      params.insert(params.end(), {row.members_behind, row.members_overdue});
    }
    const std::string insert =
        absl::StrCat("INSERT INTO statistics_organization_rollup (organization_id, ",
                     kCategoryFigureColumns, ", members_behind, members_overdue) VALUES ");
    const std::string marks = absl::StrCat("(", db::BindMarks(kRollupColumns), ")");
    return tx.Execute(Rows(insert.c_str(), marks.c_str(), size), params).status();
  });
}

absl::StatusOr<std::map<int64_t, std::vector<RollupRow>>> RollupRepository::Rollups(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids) const {
  std::map<int64_t, std::vector<RollupRow>> rows;
  const std::string select =
      absl::StrCat("SELECT organization_id, ", kCategoryFigureColumns,
                   ", members_behind, members_overdue FROM statistics_organization_rollup"
                   " WHERE organization_id IN (");
  RETURN_IF_ERROR(
      db::QueryForIds(tx, select, kRollupsSuffix, {}, organization_ids, [&](const db::Row& row) {
        RollupRow r;
        r.figures = CategoryFiguresAt(row, 2);
        r.members_behind = row.Int64(2 + kCategoryFigureColumnCount);
        r.members_overdue = row.Int64(3 + kCategoryFigureColumnCount);
        rows[row.Int64(1)].push_back(r);
      }));
  return rows;
}

absl::Status RollupRepository::Clear(db::Transaction& tx) const {
  RETURN_IF_ERROR(tx.Execute("DELETE FROM statistics_member_standing", {}).status());
  return tx.Execute("DELETE FROM statistics_organization_rollup", {}).status();
}

}  // namespace lms::statistics
