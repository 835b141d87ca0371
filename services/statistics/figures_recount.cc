#include "services/statistics/figures_recount.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/day_bounds.h"
#include "services/statistics/hours_on_date.h"
#include "services/statistics/members_on_date.h"
#include "services/statistics/study_on_date.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {
namespace {

constexpr char kCompletedPrefix[] =
    "SELECT member_id, course_id FROM course_progress WHERE state = 2 AND completion_time < ?"
    " AND member_id IN (";

// (member, course) pairs completed by the end of `day`.
absl::StatusOr<std::set<std::pair<int64_t, int64_t>>> CompletedByDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, absl::CivilDay day) {
  const absl::Time end = EndOfChinaDay(day);
  std::set<std::pair<int64_t, int64_t>> completed;
  RETURN_IF_ERROR(
      db::QueryForIds(tx, kCompletedPrefix, ")", {end}, member_ids,
                      [&](const db::Row& row) { completed.emplace(row.Int64(1), row.Int64(2)); }));
  return completed;
}

}  // namespace

int64_t ExpectedByDate(int64_t required_hundredths, int year, absl::CivilDay day) {
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay next(year + 1, 1, 1);
  if (day < first) return 0;
  if (day >= next) return required_hundredths;
  return required_hundredths * ((day - first) + 1) / (next - first);
}

absl::StatusOr<SubtreeFigures> FiguresRecount::Compute(db::Transaction& tx, int64_t root, int year,
                                                       absl::CivilDay day,
                                                       absl::Time received_by) const {
  ASSIGN_OR_RETURN(const RecountedStandings standings,
                   Standings(tx, root, RecountPeriod{year, 0}, day, received_by));
  return AddUp(standings.tree, root, standings.members);
}

absl::StatusOr<RecountedStandings> FiguresRecount::Standings(db::Transaction& tx, int64_t root,
                                                             const RecountPeriod& period,
                                                             absl::CivilDay day,
                                                             absl::Time received_by) const {
  RecountedStandings result;
  ASSIGN_OR_RETURN(result.tree, TreeOnDate::Load(tx, day));
  const TreeOnDate& tree = result.tree;
  if (!tree.Exists(root)) {
    return absl::NotFoundError(
        absl::StrCat("organisation ", root, " did not exist on ", absl::FormatCivilTime(day)));
  }
  ASSIGN_OR_RETURN(const std::vector<MemberOnDate> members,
                   MembersOnDate(tx, tree.Subtree(root), day));
  ASSIGN_OR_RETURN(result.members,
                   StandingsOf(tx, tree, members, period, day, received_by, result.rules));
  return result;
}

absl::StatusOr<std::vector<MemberStanding>> FiguresRecount::StandingsOf(
    db::Transaction& tx, const TreeOnDate& tree, const std::vector<MemberOnDate>& members,
    const RecountPeriod& period, absl::CivilDay day, absl::Time received_by,
    RuleVersions& rules) const {
  const int year = period.year;
  ASSIGN_OR_RETURN(const auto obligations,
                   requirements_.For(tx, tree, members, year, day, period.plan_id, &rules));
  std::vector<int64_t> ids;
  ids.reserve(members.size());
  for (const MemberOnDate& member : members) ids.push_back(member.member_id);
  ASSIGN_OR_RETURN(const auto hours, HoursCreditedOnDate(tx, ids, year, day, received_by));
  ASSIGN_OR_RETURN(const auto study, StudyByDate(tx, ids, year, day, received_by));
  ASSIGN_OR_RETURN(const auto completed, CompletedByDate(tx, ids, day));

  std::vector<MemberStanding> standings;
  standings.reserve(members.size());
  for (const MemberOnDate& member : members) {
    const enrollment::MemberObligations& owed = obligations.at(member.member_id);
    MemberStanding standing;
    standing.member_id = member.member_id;
    standing.organization_id = member.organization_id;
    standing.category_mask = member.category_mask;
    standing.in_plan = owed.hours.plan_id != 0 || !owed.courses.empty();
    // A plan's figures count the members it speaks for.
    if (period.plan_id != 0 && !standing.in_plan) continue;
    standing.hours_plan_id = owed.hours.plan_id;
    standing.required_hundredths = owed.hours.hundredths;
    standing.expected_hundredths = ExpectedByDate(owed.hours.hundredths, year, day);
    if (const auto found = hours.find(member.member_id); found != hours.end()) {
      standing.credited_hundredths = found->second;
    }
    if (const auto found = study.find(member.member_id); found != study.end()) {
      standing.study_ms = found->second.credited_ms;
      standing.last_study = found->second.last_study;
    }
    standing.required_courses = static_cast<int32_t>(owed.courses.size());
    for (const enrollment::CourseObligation& course : owed.courses) {
      const bool done = completed.count({member.member_id, course.course_id}) > 0;
      standing.completed_courses += done ? 1 : 0;
      // Due by the end of its due date.
      if (done || course.due_date >= day) continue;
      if (standing.overdue_courses++ == 0 && !course.sources.empty()) {
        standing.overdue_plan_id = course.sources.front().plan_id;
      }
    }
    standings.push_back(standing);
  }
  return standings;
}

}  // namespace lms::statistics
