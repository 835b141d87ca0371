#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/statistics/activity_figures.h"
#include "services/statistics/assessment_figures.h"
#include "services/statistics/course_figures.h"
#include "services/statistics/member_month_rollup.h"
#include "services/statistics/monthly_trend.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/scoped_standings.h"

namespace lms::statistics {

struct CoursePage {
  ReportStamp stamp;
  std::vector<CourseFigures> courses;
  std::string next_page_token;
};

struct ActivityReport {
  ReportStamp stamp;
  std::vector<ActivityKindFigures> kinds;
};

struct AssessmentReport {
  ReportStamp stamp;
  AssessmentFigures figures;
};

struct TrendReport {
  ReportStamp stamp;
  std::vector<MonthFigures> months;
};

// The figures beside an organisation's: per course, organisational life, tests, and the
// monthly trend, for the members of a scope as of its day (README "Statistics"). Each
// call reads one consistent snapshot; authorization was decided before. Thread-safe.
class DetailReports {
 public:
  DetailReports(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Most enrolled first; keyset-paged.
  [[nodiscard]] absl::StatusOr<CoursePage> Courses(const call::CallContext& call,
                                                   const ScopeRequest& request, int page_size,
                                                   const std::string& page_token) const;
  // A year's (activities are not a plan's: INVALID_ARGUMENT for a plan scope).
  [[nodiscard]] absl::StatusOr<ActivityReport> Activities(const call::CallContext& call,
                                                          const ScopeRequest& request) const;
  // One paper (`paper_id`; NOT_FOUND if unknown) or every one.
  [[nodiscard]] absl::StatusOr<AssessmentReport> Assessments(const call::CallContext& call,
                                                             const ScopeRequest& request,
                                                             int64_t paper_id) const;
  [[nodiscard]] absl::StatusOr<TrendReport> Trend(const call::CallContext& call,
                                                  const ScopeRequest& request) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const StandingsLoader standings_{};
  const MemberMonthRollup months_{};
};

}  // namespace lms::statistics
