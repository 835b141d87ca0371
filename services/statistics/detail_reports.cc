#include "services/statistics/detail_reports.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "services/statistics/figures_hash.h"

namespace lms::statistics {
namespace {

constexpr char kCoursePage[] = "course_statistics";
constexpr char kPaperExists[] = "SELECT id FROM paper WHERE id = ?";

}  // namespace

absl::StatusOr<CoursePage> DetailReports::Courses(const call::CallContext& call,
                                                  const ScopeRequest& request, int page_size,
                                                  const std::string& page_token) const {
  ASSIGN_OR_RETURN(const int size, paging::PageSize(page_size));
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.Load(tx, request, clock_.Now()));
  const uint64_t fingerprint = PageFingerprint(standings.scope, "");
  std::optional<std::pair<int64_t, int64_t>> after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kCoursePage, page_token, 2, fingerprint));
    after = {cursor.keys[0], cursor.keys[1]};
  }
  ASSIGN_OR_RETURN(std::vector<CourseFigures> all,
                   CoursesTaken(tx, standings.member_ids(), standings.scope.day,
                                standings.scope.received_by, standings.scope.period.plan_id));
  std::string text = absl::StrCat(kCoursesCanonicalTag, "\n");
  for (const CourseFigures& course : all) absl::StrAppend(&text, CourseLine(course));
  const auto key = [](const CourseFigures& c) { return std::make_pair(-c.enrolled, c.course_id); };
  CoursePage page;
  for (CourseFigures& course : all) {
    if (after.has_value() && key(course) <= *after) continue;
    if (static_cast<int>(page.courses.size()) == size) {
      paging::KeysetCursor cursor;
      cursor.keys = {key(page.courses.back()).first, key(page.courses.back()).second};
      cursor.filter_fingerprint = fingerprint;
      page.next_page_token = paging::EncodeKeysetToken(kCoursePage, cursor);
      break;
    }
    page.courses.push_back(std::move(course));
  }
  RETURN_IF_ERROR(CourseTitles(tx, page.courses));
  page.stamp = std::move(standings.stamp);
  page.stamp.figures_hash = CanonicalTextHash(text);
  return page;
}

absl::StatusOr<ActivityReport> DetailReports::Activities(const call::CallContext& call,
                                                         const ScopeRequest& request) const {
  if (request.plan_id != 0) {
    return status::InvalidField("scope.plan_id",
                                "activities are not a plan's: ask for a year instead");
  }
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.LoadScope(tx, request, now));
  const ResolvedScope& scope = standings.scope;
  ASSIGN_OR_RETURN(const TreeOnDate tree, TreeOnDate::Load(tx, scope.day));
  if (!tree.Exists(scope.root)) {
    return absl::NotFoundError(absl::StrCat("organisation ", scope.root, " did not exist on ",
                                            absl::FormatCivilTime(scope.day)));
  }
  ActivityReport report;
  report.stamp = std::move(standings.stamp);
  ASSIGN_OR_RETURN(report.kinds, ActivitiesHeld(tx, tree, scope.root, scope.period.year, scope.day,
                                                now, report.stamp.rules));
  std::string text = "lms-activities-v1\n";
  for (const ActivityKindFigures& k : report.kinds) {
    absl::StrAppend(&text, k.kind, ",", k.held, ",", k.expected_for_year, ",", k.expected_by_date,
                    ",", k.organizations_behind, ",", k.present, ",", k.targeted, "\n");
  }
  report.stamp.figures_hash = CanonicalTextHash(text);
  return report;
}

absl::StatusOr<AssessmentReport> DetailReports::Assessments(const call::CallContext& call,
                                                            const ScopeRequest& request,
                                                            int64_t paper_id) const {
  if (paper_id < 0) return status::InvalidField("paper_id", "must be 0 (all) or a paper id");
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  if (paper_id != 0) {
    ASSIGN_OR_RETURN(const std::optional<int64_t> paper, tx.QueryInt64(kPaperExists, {paper_id}));
    if (!paper.has_value()) {
      return absl::NotFoundError(absl::StrCat("paper ", paper_id, " not found"));
    }
  }
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.Load(tx, request, clock_.Now()));
  AssessmentReport report;
  ASSIGN_OR_RETURN(report.figures,
                   AttemptsTaken(tx, standings.member_ids(), standings.scope.day, paper_id));
  const AssessmentFigures& f = report.figures;
  std::string text = absl::StrCat("lms-assessments-v1\n", f.attempts, ",", f.members_attempted, ",",
                                  f.members_passed, "\n");
  for (const int64_t bucket : f.score_buckets) absl::StrAppend(&text, bucket, ",");
  absl::StrAppend(&text, "\n");
  for (const MissedQuestion& q : f.most_missed) {
    absl::StrAppend(&text, q.question_id, ",", q.answered, ",", q.right, "\n");
  }
  for (const ContentCategoryFigures& c : f.content_categories) {
    absl::StrAppend(&text, "c", c.content_category, ",", c.answered, ",", c.right, "\n");
  }
  report.stamp = std::move(standings.stamp);
  report.stamp.figures_hash = CanonicalTextHash(text);
  return report;
}

absl::StatusOr<TrendReport> DetailReports::Trend(const call::CallContext& call,
                                                 const ScopeRequest& request) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.Load(tx, request, clock_.Now()));
  TrendReport report;
  const ResolvedScope& scope = standings.scope;
  if (standings.stamp.source == FiguresSource::kRollup) {
    // Today's figures: the members' months as the statistics job keeps them.
    report.months = EmptyMonths(LastMonthOf(scope.period.year, scope.day));
    RETURN_IF_ERROR(months_.AddUp(tx, standings.member_ids(), report.months));
  } else {
    ASSIGN_OR_RETURN(report.months, MonthlyTrend(tx, standings.member_ids(), scope.period.year,
                                                 scope.day, scope.received_by));
  }
  std::string text = "lms-trend-v1\n";
  for (const MonthFigures& m : report.months) {
    absl::StrAppend(&text, m.month, ",", m.hours_credited, ",", m.completions, ",",
                    m.active_members, "\n");
  }
  report.stamp = std::move(standings.stamp);
  report.stamp.figures_hash = CanonicalTextHash(text);
  return report;
}

}  // namespace lms::statistics
