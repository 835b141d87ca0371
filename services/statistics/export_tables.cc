#include "services/statistics/export_tables.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/domain/categories.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/course_figures.h"
#include "services/statistics/member_details.h"
#include "services/statistics/member_statistics.h"
#include "services/statistics/organization_figures.h"
#include "services/statistics/report_directory.h"
#include "services/statistics/rollup_repository.h"
#include "services/statistics/statistics_service.h"

namespace lms::statistics {
namespace {

using export_file::Cell;
using export_file::Column;
using export_file::Decimal;
using Rows = std::vector<std::vector<Cell>>;

// Rows per batch: a few hundred kilobytes of CSV, one chunk of the stream.
constexpr int kBatchRows = 1000;

// The ledger's sources with a column of their own (lms.v1.CreditSource; a reversal is
// counted under the source it undoes).
constexpr std::pair<int, const char*> kSourceColumns[] = {{1, "课程学时"}, {2, "考试学时"},
                                                          {3, "活动学时"}, {4, "培训班学时"},
                                                          {5, "认定学时"}, {7, "免修学时"}};

const char* CategoryName(int category) {
  switch (category) {
    case 1:
      return "普通党员";
    case 2:
      return "预备党员";
    case 3:
      return "支部书记/支委";
    case 4:
      return "领导干部";
    case 5:
      return "离退休党员";
    case 6:
      return "流动党员";
    default:
      return "全体党员";
  }
}

std::string CategoryNames(int64_t mask) {
  std::vector<std::string> names;
  for (const MemberCategory category : MemberCategoriesFromMask(mask)) {
    names.emplace_back(CategoryName(static_cast<int>(category)));
  }
  return absl::StrJoin(names, "、");
}

Cell Hours(int64_t hundredths) { return Decimal{hundredths, 2}; }
// A per-mille share as a percentage with one decimal (853 -> 85.3).
Cell Percent(int32_t permille) { return Decimal{permille, 1}; }
// Milliseconds of study as hours with two decimals.
Cell StudyHours(int64_t ms) { return Decimal{ms / 36000, 2}; }
Cell YesNo(bool yes) { return std::string(yes ? "是" : "否"); }

std::string BehindText(const MemberStanding& m) {
  if (!m.behind()) return "正常";
  const bool hours = !m.on_track();
  const bool overdue = m.overdue_courses > 0;
  if (hours && overdue) return "学时落后、课程逾期";
  return hours ? "学时落后" : "课程逾期";
}

// Members as ListMemberStatistics lists them.
class MemberTable final : public ExportTableSource {
 public:
  MemberTable(std::unique_ptr<ScopedStandings> standings, std::optional<RollupView> view,
              int category)
      : standings_(std::move(standings)),
        walk_(*standings_, std::move(view), category, MemberWalkPosition{}) {}

  absl::Status Open(db::Transaction& tx) {
    ASSIGN_OR_RETURN(expected_, walk_.Count(tx));
    return absl::OkStatus();
  }
  std::string sheet() const override { return "党员学习明细"; }
  std::string file_stem() const override { return "members"; }
  std::string canonical_tag() const override { return "lms-member-statistics-v1"; }
  std::vector<Column> columns() const override {
    std::vector<Column> columns = {{"组织编码", 12}, {"所在组织", 24},       {"党员编号", 12},
                                   {"姓名", 10},     {"人员类别", 16},       {"纳入计划", 8},
                                   {"要求学时", 10}, {"按进度应达学时", 14}, {"已获学时", 10}};
    for (const auto& [source, title] : kSourceColumns) columns.push_back({title, 10});
    columns.insert(columns.end(), {{"必修课程", 8},
                                   {"已完成必修", 10},
                                   {"逾期课程", 8},
                                   {"有效学习时长(小时)", 16},
                                   {"最近学习日期", 12},
                                   {"是否达标", 8},
                                   {"学习进度", 16}});
    return columns;
  }
  int64_t expected_rows() const override { return expected_; }
  const ReportStamp& stamp() const override { return standings_->stamp; }

  absl::StatusOr<Rows> Next(db::Transaction& tx, std::string* canonical) override {
    ASSIGN_OR_RETURN(const std::vector<MemberDetail> members,
                     walk_.Next(tx, kBatchRows, standings_->stamp.rules));
    Rows rows;
    rows.reserve(members.size());
    for (const MemberDetail& member : members) {
      const MemberStanding& m = member.standing;
      std::vector<Cell> row = {member.organization.code,       member.organization.name,
                               member.member.member_number,    member.member.name,
                               CategoryNames(m.category_mask), YesNo(m.in_plan),
                               Hours(m.required_hundredths),   Hours(m.expected_hundredths),
                               Hours(m.credited_hundredths)};
      for (const auto& [source, title] : kSourceColumns) {
        const auto found = member.hours_by_source.find(source);
        row.push_back(Hours(found == member.hours_by_source.end() ? 0 : found->second));
      }
      row.insert(row.end(), {int64_t{m.required_courses}, int64_t{m.completed_courses},
                             int64_t{m.overdue_courses}, StudyHours(m.study_ms)});
      if (m.last_study == absl::InfinitePast()) {
        row.emplace_back(std::string());
      } else {
        row.emplace_back(absl::ToCivilDay(m.last_study, ChinaTimeZone()));
      }
      row.insert(row.end(), {YesNo(m.meets_requirement()), BehindText(m)});
      rows.push_back(std::move(row));
      absl::StrAppend(canonical, MemberDetailLine(member));
    }
    return rows;
  }

 private:
  std::unique_ptr<ScopedStandings> standings_;
  MemberDetailWalk walk_;
  int64_t expected_ = 0;
};

// Rows computed whole when the table opens (courses, organisations: thousands at most),
// handed out a batch at a time.
class ComputedTable : public ExportTableSource {
 public:
  int64_t expected_rows() const override { return static_cast<int64_t>(rows_.size()); }
  const ReportStamp& stamp() const override { return stamp_; }
  absl::StatusOr<Rows> Next(db::Transaction& /*tx*/, std::string* canonical) override {
    const size_t end = std::min(rows_.size(), next_ + kBatchRows);
    Rows batch(std::make_move_iterator(rows_.begin() + static_cast<ptrdiff_t>(next_)),
               std::make_move_iterator(rows_.begin() + static_cast<ptrdiff_t>(end)));
    for (size_t i = next_; i < end; ++i) absl::StrAppend(canonical, lines_[i]);
    next_ = end;
    return batch;
  }

 protected:
  ReportStamp stamp_;
  Rows rows_;
  // Each row's canonical text.
  std::vector<std::string> lines_;

 private:
  size_t next_ = 0;
};

// Courses as ListCourseStatistics lists them, every page.
class CourseTable final : public ComputedTable {
 public:
  absl::Status Open(db::Transaction& tx, const ScopeRequest& scope, absl::Time now) {
    ASSIGN_OR_RETURN(ScopedStandings standings, StandingsLoader().Load(tx, scope, now));
    ASSIGN_OR_RETURN(std::vector<CourseFigures> courses,
                     CoursesTaken(tx, standings.member_ids(), standings.scope.day,
                                  standings.scope.received_by, standings.scope.period.plan_id));
    RETURN_IF_ERROR(CourseTitles(tx, courses));
    stamp_ = std::move(standings.stamp);
    for (const CourseFigures& c : courses) {
      rows_.push_back({c.course_id, c.title, c.enrolled, c.started, c.completed,
                       Percent(Permille(c.completed, c.enrolled)),
                       Decimal{c.average_tenths_of_days_to_complete, 1}, c.drop_off_lesson_title,
                       c.stopped_at_drop_off});
      lines_.push_back(CourseLine(c));
    }
    return absl::OkStatus();
  }
  std::string sheet() const override { return "课程学习情况"; }
  std::string file_stem() const override { return "courses"; }
  std::string canonical_tag() const override { return kCoursesCanonicalTag; }
  std::vector<Column> columns() const override {
    return {{"课程ID", 8},        {"课程名称", 30},       {"报名人数", 10},
            {"已开始", 10},       {"已完成", 10},         {"完成率(%)", 10},
            {"平均完成天数", 12}, {"中断最多的课时", 24}, {"停在该课时人数", 14}};
  }
};

// Every organisation of the subtree (the tree of the date, depth-first) and category, each
// with its whole subtree's figures, as GetOrganizationStatistics counts an organisation.
class OrganizationTable final : public ComputedTable {
 public:
  absl::Status Open(db::Transaction& tx, const ScopeRequest& scope, absl::Time now) {
    const StandingsLoader loader;
    ASSIGN_OR_RETURN(ScopedStandings standings, loader.LoadScope(tx, scope, now));
    ASSIGN_OR_RETURN(const std::optional<RollupView> view, loader.RollupOrTree(tx, standings, now));
    const TreeOnDate& tree = standings.recounted.tree;
    const std::vector<int64_t> organizations = tree.DepthFirst(standings.scope.root);
    std::map<int64_t, OrganizationFigures> figures;
    if (view.has_value()) {
      ASSIGN_OR_RETURN(const auto rollups, RollupRepository().Rollups(tx, organizations));
      std::map<int64_t, std::vector<CategoryFigures>> rows;
      for (const auto& [organization, organization_rows] : rollups) {
        for (const RollupRow& row : organization_rows) rows[organization].push_back(row.figures);
      }
      figures = AddUpEveryOrganization(tree, organizations, rows);
    } else {
      RETURN_IF_ERROR(loader.Fill(tx, standings, std::nullopt));
      figures = AddUpEvery(standings.recounted.tree, organizations, standings.recounted.members);
    }
    ASSIGN_OR_RETURN(const auto labels, ReportDirectory().Organizations(tx, organizations));
    const auto label = [&](int64_t id) {
      const auto found = labels.find(id);
      return found == labels.end() ? OrganizationLabel{} : found->second;
    };
    std::map<int64_t, int64_t> depth{{standings.scope.root, 0}};
    for (const int64_t organization : organizations) {
      const int64_t parent = tree.Parent(organization);
      if (organization != standings.scope.root) depth[organization] = depth[parent] + 1;
      const OrganizationLabel own = label(organization);
      const std::string parent_code = parent == 0 ? "" : label(parent).code;
      for (const CategoryFigures& f : figures[organization].categories) {
        rows_.push_back({own.code, own.name, parent_code, depth[organization] + 1,
                         std::string(CategoryName(f.category)), f.members, f.members_in_plans,
                         f.required_enrollments, f.completed_enrollments,
                         Percent(Permille(f.completed_enrollments, f.required_enrollments)),
                         Hours(f.hours_credited), Hours(f.hours_required),
                         f.members_meeting_requirement,
                         Percent(Permille(f.members_meeting_requirement, f.members)),
                         f.members_on_track, Percent(Permille(f.members_on_track, f.members)),
                         f.members_without_study, StudyHours(f.study_ms)});
        lines_.push_back(absl::StrCat(
            organization, ",", f.category, ",", f.members, ",", f.members_in_plans, ",",
            f.required_enrollments, ",", f.completed_enrollments, ",", f.hours_credited, ",",
            f.hours_required, ",", f.members_meeting_requirement, ",", f.members_on_track, ",",
            f.members_without_study, ",", f.study_ms, "\n"));
      }
    }
    stamp_ = std::move(standings.stamp);
    return absl::OkStatus();
  }
  std::string sheet() const override { return "组织学习情况"; }
  std::string file_stem() const override { return "organizations"; }
  std::string canonical_tag() const override { return "lms-organizations-v1"; }
  std::vector<Column> columns() const override {
    return {{"组织编码", 12},     {"组织名称", 24},   {"上级组织编码", 12},
            {"层级", 6},          {"人员类别", 14},   {"党员数", 8},
            {"纳入计划人数", 12}, {"必修报名", 10},   {"已完成必修", 10},
            {"完成率(%)", 10},    {"已获学时", 12},   {"要求学时", 12},
            {"达标人数", 10},     {"覆盖面(%)", 10},  {"按进度人数", 10},
            {"按进度率(%)", 10},  {"未学习人数", 10}, {"有效学习时长(小时)", 16}};
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<ExportTableSource>> OpenExportTable(db::Transaction& tx,
                                                                   ExportTable table,
                                                                   const ScopeRequest& scope,
                                                                   int category, absl::Time now) {
  switch (table) {
    case ExportTable::kMembers: {
      const StandingsLoader loader;
      auto standings = std::make_unique<ScopedStandings>();
      ASSIGN_OR_RETURN(*standings, loader.LoadScope(tx, scope, now));
      ASSIGN_OR_RETURN(std::optional<RollupView> view, loader.RollupOrTree(tx, *standings, now));
      auto members = std::make_unique<MemberTable>(std::move(standings), std::move(view), category);
      RETURN_IF_ERROR(members->Open(tx));
      return members;
    }
    case ExportTable::kCourses: {
      auto courses = std::make_unique<CourseTable>();
      RETURN_IF_ERROR(courses->Open(tx, scope, now));
      return courses;
    }
    case ExportTable::kOrganizations: {
      auto organizations = std::make_unique<OrganizationTable>();
      RETURN_IF_ERROR(organizations->Open(tx, scope, now));
      return organizations;
    }
    case ExportTable::kUnspecified:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("table: must be EXPORT_TABLE_MEMBERS, _COURSES or _ORGANIZATIONS (got ",
                   static_cast<int>(table), ")"));
}

}  // namespace lms::statistics
