#include "services/assessment/test_pass.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::assessment {

std::string TestPass::SourceKey(int64_t paper_id) { return absl::StrCat("paper:", paper_id); }

absl::Status TestPass::CompleteCourse(db::Transaction& tx, const Paper& paper,
                                      const Attempt& attempt, absl::Time now) const {
  RETURN_IF_ERROR(final_tests_.RecordPass(tx, attempt.member_id, paper.course_id, paper.id,
                                          attempt.id, attempt.submit_time));
  // Progress serialises a member's course changes on the member's row: so does this.
  RETURN_IF_ERROR(progress_.LockMembers(tx, {attempt.member_id}));
  ASSIGN_OR_RETURN(std::optional<progress::CourseProgress> course,
                   progress_.Course(tx, attempt.member_id, paper.course_id));
  // No progress yet: the course completes when its lessons do (the pass is kept).
  if (!course.has_value() || course->completed()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const progress::ProgressRules rules,
                   rules_.Read(tx, absl::ToCivilDay(now, ChinaTimeZone())));
  ASSIGN_OR_RETURN(const bool completed, completion_.CompleteIfStudied(tx, *course, rules, now));
  if (!completed) return absl::OkStatus();
  return progress_.SaveCourse(tx, *course);
}

absl::Status TestPass::Apply(db::Transaction& tx, const Paper& paper, Attempt& attempt,
                             Standing& standing, absl::Time now) const {
  if (paper.practice() || !attempt.passed) return absl::OkStatus();
  if (standing.credit_id == 0 && paper.hours_hundredths > 0) {
    progress::HoursCredit credit;
    credit.member_id = attempt.member_id;
    credit.source = progress::CreditSource::kTest;
    credit.source_key = SourceKey(paper.id);
    credit.source_id = paper.id;
    credit.title = paper.settings.title;
    credit.hundredths = paper.hours_hundredths;
    credit.content_category = paper.settings.content_category;
    credit.rule_version = paper.hours_rule_version;
    credit.happen_time = attempt.submit_time;
    bool created = false;
    ASSIGN_OR_RETURN(const progress::HoursCredit stored,
                     ledger_.Credit(tx, std::move(credit), now, &created));
    standing.credit_id = stored.id;
    if (created) attempt.hours_credited = stored.hundredths;
  }
  if (paper.kind == PaperKind::kFinalTest) return CompleteCourse(tx, paper, attempt, now);
  return absl::OkStatus();
}

}  // namespace lms::assessment
