#include "services/statistics/figures_recount.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
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
  RETURN_IF_ERROR(db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{end};
    params.insert(params.end(), member_ids.begin() + begin, member_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kCompletedPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { completed.emplace(row.Int64(1), row.Int64(2)); });
  }));
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
  ASSIGN_OR_RETURN(const TreeOnDate tree, TreeOnDate::Load(tx, day));
  if (!tree.Exists(root)) {
    return absl::NotFoundError(
        absl::StrCat("organisation ", root, " did not exist on ", absl::FormatCivilTime(day)));
  }
  ASSIGN_OR_RETURN(const std::vector<MemberOnDate> members,
                   MembersOnDate(tx, tree.Subtree(root), day));
  ASSIGN_OR_RETURN(const auto obligations, requirements_.For(tx, tree, members, year, day));
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
    standing.required_hundredths = owed.hours.hundredths;
    standing.expected_hundredths = ExpectedByDate(owed.hours.hundredths, year, day);
    if (const auto found = hours.find(member.member_id); found != hours.end()) {
      standing.credited_hundredths = found->second;
    }
    if (const auto found = study.find(member.member_id); found != study.end()) {
      standing.study_ms = found->second.credited_ms;
    }
    standing.required_courses = static_cast<int32_t>(owed.courses.size());
    for (const enrollment::CourseObligation& course : owed.courses) {
      standing.completed_courses += completed.count({member.member_id, course.course_id});
    }
    standings.push_back(standing);
  }
  return AddUp(tree, root, standings);
}

}  // namespace lms::statistics
