#include "services/statistics/month_snapshots.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/batches.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/category_figures_columns.h"
#include "services/statistics/figures_hash.h"
#include "services/statistics/rollup_repository.h"

namespace lms::statistics {
namespace {

constexpr char kGraceSetting[] = "statistics.snapshot_grace_days";
constexpr char kRoot[] = "SELECT MIN(id) FROM organization WHERE parent_id IS NULL";
constexpr char kFirstInstant[] = "SELECT MIN(valid_from) FROM organization_parent_history";
constexpr char kFrozen[] = "SELECT year, month FROM statistics_month";
constexpr char kInsertMonth[] =
    "INSERT INTO statistics_month (year, month, as_of, received_by, freeze_time,"
    " setting_change_ids, plan_versions) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kInsertFigures[] =
    "INSERT INTO statistics_month_figures (year, month, organization_id, parent_id, ";
constexpr char kMonth[] =
    "SELECT as_of, received_by, freeze_time, setting_change_ids, plan_versions"
    " FROM statistics_month WHERE year = ? AND month = ?";
constexpr char kSelectFigures[] = "SELECT organization_id, parent_id, ";
constexpr char kFiguresFrom[] = " FROM statistics_month_figures WHERE year = ? AND month = ?";
// Year, month, organisation, parent, then the figures.
constexpr int kFigureRowColumns = 4 + kCategoryFigureColumnCount;

constexpr int kFirstYear = 2000;

// (organisation, category) rows of the one or more roots' figures.
struct FigureRow {
  int64_t organization_id = 0;
  int64_t parent_id = 0;
  CategoryFigures figures;
};

absl::Status InsertFigures(db::Transaction& tx, int year, int month,
                           const std::vector<FigureRow>& rows) {
  return db::ForEachBatch(rows.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * kFigureRowColumns);
    for (size_t i = begin; i < begin + size; ++i) {
      const FigureRow& row = rows[i];
      params.insert(params.end(), {year, month, row.organization_id, row.parent_id});
      AppendCategoryFigures(row.figures, params);
    }
    const std::string marks = absl::StrCat("(", db::BindMarks(kFigureRowColumns), ")");
    const std::string sql =
        absl::StrCat(kInsertFigures, kCategoryFigureColumns, ") VALUES ",
                     absl::StrJoin(std::vector<std::string>(size, marks), ", "));
    return tx.Execute(sql, params).status();
  });
}

absl::CivilDay LastDay(absl::CivilMonth month) { return absl::CivilDay(month + 1) - 1; }

}  // namespace

absl::StatusOr<absl::CivilDay> MonthSnapshots::FreezeDay(db::Transaction& tx,
                                                         absl::CivilMonth month,
                                                         absl::CivilDay today) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> root, tx.QueryInt64(kRoot, {}));
  int64_t grace = 0;
  if (root.has_value()) {
    ASSIGN_OR_RETURN(const settings::EffectiveSetting setting,
                     settings_.Get(tx, kGraceSetting, *root, today));
    grace = setting.value;
  }
  return LastDay(month) + 1 + grace;
}

absl::StatusOr<int> MonthSnapshots::FreezeDue(absl::Time deadline) const {
  int frozen = 0;
  while (absl::Now() < deadline) {
    absl::StatusOr<std::optional<absl::CivilMonth>> month = FreezeNext(deadline);
    // Frozen meanwhile by another server: the next one.
    if (absl::IsAlreadyExists(month.status())) continue;
    if (!month.ok()) return month.status();
    if (!month->has_value()) break;
    ++frozen;
  }
  return frozen;
}

absl::Status MonthSnapshots::FreezeMonth(absl::CivilMonth month, absl::Time deadline) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(deadline));
  RETURN_IF_ERROR(Freeze(tx, month, clock_.Now()));
  return tx.Commit();
}

absl::StatusOr<std::optional<absl::CivilMonth>> MonthSnapshots::FreezeNext(
    absl::Time deadline) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(deadline));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  std::optional<absl::Time> first;
  RETURN_IF_ERROR(tx.Query(kFirstInstant, {}, [&](const db::Row& row) {
    if (!row.IsNull(1)) first = row.Time(1);
  }));
  if (!first.has_value()) return std::nullopt;  // an empty site
  std::set<absl::CivilMonth> frozen;
  RETURN_IF_ERROR(tx.Query(kFrozen, {}, [&](const db::Row& row) {
    frozen.insert(absl::CivilMonth(row.Int64(1), static_cast<int>(row.Int64(2))));
  }));
  const absl::CivilMonth first_month(absl::ToCivilDay(*first, ChinaTimeZone()));
  for (absl::CivilMonth month = first_month; month < absl::CivilMonth(today); ++month) {
    if (frozen.count(month) > 0) continue;
    ASSIGN_OR_RETURN(const absl::CivilDay freeze_day, FreezeDay(tx, month, today));
    if (today < freeze_day) return std::nullopt;  // later months are due later still
    RETURN_IF_ERROR(Freeze(tx, month, now));
    RETURN_IF_ERROR(tx.Commit());
    return month;
  }
  return std::nullopt;
}

absl::Status MonthSnapshots::Freeze(db::Transaction& tx, absl::CivilMonth month,
                                    absl::Time now) const {
  const absl::CivilDay day = LastDay(month);
  const int year = static_cast<int>(month.year());
  ASSIGN_OR_RETURN(const TreeOnDate tree, TreeOnDate::Load(tx, day));
  std::vector<FigureRow> rows;
  RuleVersions rules;
  for (const int64_t root : tree.Roots()) {
    ASSIGN_OR_RETURN(const RecountedStandings standings,
                     recount_.Standings(tx, root, RecountPeriod{year, 0}, day, now));
    rules.setting_change_ids.insert(standings.rules.setting_change_ids.begin(),
                                    standings.rules.setting_change_ids.end());
    rules.plan_versions.insert(standings.rules.plan_versions.begin(),
                               standings.rules.plan_versions.end());
    for (const auto& [organization, figures] :
         AddUpEvery(tree, tree.Subtree(root), standings.members)) {
      for (const CategoryFigures& category : figures.categories) {
        rows.push_back({organization, tree.Parent(organization), category});
      }
    }
  }
  const auto [settings, plans] = RulesText(rules);
  RETURN_IF_ERROR(tx.Execute(kInsertMonth, {year, static_cast<int>(month.month()), day, now, now,
                                            settings, plans})
                      .status());
  return InsertFigures(tx, year, static_cast<int>(month.month()), rows);
}

absl::StatusOr<OrganizationReport> MonthSnapshots::Read(const call::CallContext& call,
                                                        int64_t organization_id, int year,
                                                        int month) const {
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  if (year < kFirstYear || year > static_cast<int>(today.year())) {
    errors.Add("year",
               absl::StrCat("must be ", kFirstYear, " to ", today.year(), " (got ", year, ")"));
  }
  if (month < 1 || month > 12)
    errors.Add("month", absl::StrCat("must be 1 to 12 (got ", month, ")"));
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::CivilMonth asked(year, month);

  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  OrganizationReport report;
  bool found = false;
  std::string settings_text;
  std::string plans_text;
  RETURN_IF_ERROR(tx.Query(kMonth, {year, month}, [&](const db::Row& row) {
    found = true;
    report.stamp.as_of = row.Day(1).value_or(absl::CivilDay());
    report.stamp.received_by = row.Time(2);
    report.stamp.generate_time = row.Time(3);
    settings_text = row.String(4);
    plans_text = row.String(5);
  }));
  if (!found) {
    ASSIGN_OR_RETURN(const absl::CivilDay freeze_day, FreezeDay(tx, asked, today));
    if (today < freeze_day) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the snapshot of ", absl::FormatCivilTime(asked), " freezes on ",
          absl::FormatCivilTime(freeze_day), " (China time), once late syncs have come in"));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "the snapshot of ", absl::FormatCivilTime(asked),
        " is due and not frozen yet (the statistics_snapshots task freezes it shortly)"));
  }
  report.stamp.source = FiguresSource::kSnapshot;
  report.stamp.rules = RulesFromText(settings_text, plans_text);

  std::map<int64_t, OrganizationFigures> children;
  bool root_found = false;
  const auto read = [&](const char* condition) {
    return tx.Query(absl::StrCat(kSelectFigures, kCategoryFigureColumns, kFiguresFrom, condition,
                                 " ORDER BY organization_id, category"),
                    {year, month, organization_id}, [&](const db::Row& row) {
                      const int64_t id = row.Int64(1);
                      OrganizationFigures& target =
                          id == organization_id ? report.figures.organization : children[id];
                      root_found = root_found || id == organization_id;
                      target.organization_id = id;
                      target.categories.push_back(CategoryFiguresAt(row, 3));
                    });
  };
  RETURN_IF_ERROR(read(" AND organization_id = ?"));
  if (!root_found) {
    return absl::NotFoundError(absl::StrCat("organisation ", organization_id, " did not exist on ",
                                            absl::FormatCivilTime(report.stamp.as_of)));
  }
  RETURN_IF_ERROR(read(" AND parent_id = ?"));
  std::vector<int64_t> ids{organization_id};
  for (auto& [id, figures] : children) {
    ids.push_back(id);
    report.figures.children.push_back(std::move(figures));
  }
  ASSIGN_OR_RETURN(report.labels, directory_.Organizations(tx, ids));
  report.stamp.figures_hash = FiguresHash(report.figures);
  return report;
}

}  // namespace lms::statistics
