#pragma once

#include <vector>

#include "common/db/param.h"
#include "common/db/row.h"
#include "services/statistics/organization_figures.h"

namespace lms::statistics {

// The eleven columns a stored CategoryFigures takes (statistics_month_figures and
// statistics_organization_rollup alike), in this order.
inline constexpr char kCategoryFigureColumns[] =
    "category, members, members_in_plans, required_enrollments, completed_enrollments,"
    " hours_credited, hours_required, members_meeting_requirement, members_on_track,"
    " members_without_study, study_ms";
inline constexpr int kCategoryFigureColumnCount = 11;

// Appends `f`'s values in kCategoryFigureColumns order.
inline void AppendCategoryFigures(const CategoryFigures& f, std::vector<db::Param>& params) {
  params.insert(params.end(), {f.category, f.members, f.members_in_plans, f.required_enrollments,
                               f.completed_enrollments, f.hours_credited, f.hours_required,
                               f.members_meeting_requirement, f.members_on_track,
                               f.members_without_study, f.study_ms});
}

// Reads kCategoryFigureColumns starting at `first` (1-based).
[[nodiscard]] inline CategoryFigures CategoryFiguresAt(const db::Row& row, int first) {
  CategoryFigures f;
  f.category = static_cast<int>(row.Int64(first));
  f.members = row.Int64(first + 1);
  f.members_in_plans = row.Int64(first + 2);
  f.required_enrollments = row.Int64(first + 3);
  f.completed_enrollments = row.Int64(first + 4);
  f.hours_credited = row.Int64(first + 5);
  f.hours_required = row.Int64(first + 6);
  f.members_meeting_requirement = row.Int64(first + 7);
  f.members_on_track = row.Int64(first + 8);
  f.members_without_study = row.Int64(first + 9);
  f.study_ms = row.Int64(first + 10);
  return f;
}

}  // namespace lms::statistics
