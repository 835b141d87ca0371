#include "services/progress/course_completion.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::progress {

std::string CourseCompletion::SourceKey(int64_t course_id) {
  return absl::StrCat("course:", course_id);
}

absl::StatusOr<std::optional<absl::Time>> CourseCompletion::LessonsCompleted(
    db::Transaction& tx, CourseProgress& course) const {
  ASSIGN_OR_RETURN(const std::vector<LessonFacts> lessons,
                   catalog_.CourseLessons(tx, course.course_id));
  if (lessons.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(const std::vector<LessonProgress> progress,
                   progress_.LessonsOfCourse(tx, course.member_id, course.course_id));
  std::map<int64_t, absl::Time> completed;
  for (const LessonProgress& lesson : progress) {
    if (lesson.completion_time.has_value()) completed[lesson.lesson_id] = *lesson.completion_time;
  }
  int32_t done = 0;
  absl::Time last = absl::InfinitePast();
  for (const LessonFacts& lesson : lessons) {
    const auto it = completed.find(lesson.lesson_id);
    if (it == completed.end()) continue;
    ++done;
    last = std::max(last, it->second);
  }
  course.lessons_completed = done;
  if (done < static_cast<int32_t>(lessons.size())) return std::nullopt;
  ASSIGN_OR_RETURN(const CourseFinalTests::Gate test,
                   final_tests_.GateFor(tx, course.member_id, course.course_id));
  if (test.required) {
    if (!test.pass_time.has_value()) return std::nullopt;
    last = std::max(last, *test.pass_time);
  }
  return last;
}

absl::StatusOr<bool> CourseCompletion::CompleteIfStudied(db::Transaction& tx,
                                                         CourseProgress& course,
                                                         const ProgressRules& rules,
                                                         absl::Time now) const {
  if (course.completed()) return false;
  ASSIGN_OR_RETURN(const std::optional<absl::Time> last, LessonsCompleted(tx, course));
  if (!last.has_value()) return false;
  course.completion_time = *last;
  course.completion_kind = CompletionKind::kStudied;
  course.completion_rule_version = rules.version;
  RETURN_IF_ERROR(CreditHours(tx, course, CreditSource::kCourseCompletion,
                              SourceKey(course.course_id), "", 0, rules, now));
  return true;
}

absl::Status CourseCompletion::Redate(db::Transaction& tx, CourseProgress& course,
                                      const ProgressRules& rules, absl::Time now) const {
  if (course.completion_kind != CompletionKind::kStudied) return absl::OkStatus();
  ASSIGN_OR_RETURN(const std::optional<absl::Time> last, LessonsCompleted(tx, course));
  if (!last.has_value() || *last >= *course.completion_time) return absl::OkStatus();
  course.completion_time = *last;
  if (course.credit_id == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(const std::optional<HoursCredit> credit, ledger_.Find(tx, course.credit_id));
  const int year = static_cast<int>(absl::ToCivilYear(*last, ChinaTimeZone()).year());
  if (!credit.has_value() || credit->year == year || credit->reversed_by_credit_id != 0) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(
      ledger_
          .Reverse(tx, credit->id, 0,
                   absl::StrCat("completion re-dated into ", year, " by events synced late"), now)
          .status());
  // The same amount, moved: what the completion earned does not change with its date.
  return CreditHours(tx, course, CreditSource::kCourseCompletion,
                     absl::StrCat(SourceKey(course.course_id), ":", year), "", 0, rules, now,
                     credit->hundredths);
}

absl::Status CourseCompletion::Waive(db::Transaction& tx, CourseProgress& course,
                                     const std::string& reason, int64_t admin_id, bool credit_hours,
                                     const ProgressRules& rules, absl::Time now) const {
  course.completion_time = now;
  course.completion_kind = CompletionKind::kWaived;
  course.completion_rule_version = rules.version;
  course.waiver_reason = reason;
  course.waived_by = admin_id;
  if (!credit_hours) return absl::OkStatus();
  return CreditHours(tx, course, CreditSource::kWaiver, SourceKey(course.course_id), reason,
                     admin_id, rules, now);
}

absl::Status CourseCompletion::CreditHours(db::Transaction& tx, CourseProgress& course,
                                           CreditSource source, const std::string& source_key,
                                           const std::string& reason, int64_t actor,
                                           const ProgressRules& rules, absl::Time now,
                                           std::optional<int64_t> hundredths) const {
  ASSIGN_OR_RETURN(const std::optional<LessonFacts> facts, catalog_.Course(tx, course.course_id));
  if (!facts.has_value()) return absl::InternalError("completed course vanished");
  HoursCredit credit;
  credit.member_id = course.member_id;
  credit.source = source;
  credit.source_key = source_key;
  credit.source_id = course.course_id;
  credit.title = facts->course_title;
  credit.hundredths =
      hundredths.value_or(facts->course_hours_centi * rules.course_credit_percent / 100);
  credit.content_category = facts->content_category;
  credit.rule_version = rules.version;
  credit.actor_member_id = actor;
  credit.reason = reason;
  credit.happen_time = *course.completion_time;
  if (credit.hundredths <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(const HoursCredit stored, ledger_.Credit(tx, std::move(credit), now));
  course.credit_id = stored.id;
  return absl::OkStatus();
}

}  // namespace lms::progress
