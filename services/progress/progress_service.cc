#include "services/progress/progress_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/domain/categories.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"

namespace lms::progress {
namespace {

constexpr absl::string_view kCreditPageKind = "hours_credit";
constexpr int kDefaultChangesPage = 100;
constexpr int kMaxChangesPage = 1000;
constexpr int64_t kMaxGrantHundredths = 100 * 100;
constexpr size_t kMaxReasonLength = 500;
constexpr size_t kMaxTitleLength = 200;
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
// Reports with more events than this run alone rather than with others.
constexpr size_t kLargeReport = 64;

absl::Status NoMember(int64_t member_id) {
  return absl::NotFoundError(absl::StrCat("member ", member_id, " not found"));
}

absl::Status NoCourse(int64_t course_id) {
  return absl::NotFoundError(absl::StrCat("course ", course_id, " not found"));
}

// The lesson to resume: the one studied last, or when that one is complete the next
// incomplete one after it (wrapping to the first incomplete); 0 when all are complete.
int64_t ResumeLesson(const std::vector<LessonView>& lessons) {
  size_t last = lessons.size();
  for (size_t i = 0; i < lessons.size(); ++i) {
    if (!lessons[i].progress.has_value()) continue;
    if (last == lessons.size() ||
        lessons[i].progress->last_time > lessons[last].progress->last_time) {
      last = i;
    }
  }
  const auto incomplete = [&](size_t i) {
    return !lessons[i].progress.has_value() || !lessons[i].progress->completion_time.has_value();
  };
  if (last < lessons.size() && incomplete(last)) return lessons[last].lesson.lesson_id;
  const size_t start = last < lessons.size() ? last + 1 : 0;
  for (size_t k = 0; k < lessons.size(); ++k) {
    const size_t i = (start + k) % lessons.size();
    if (incomplete(i)) return lessons[i].lesson.lesson_id;
  }
  return 0;
}

void SetCoveredPermille(const LessonMeasure& measure, LessonProgress& lesson) {
  lesson.covered_permille =
      measure.length_units() > 0
          ? static_cast<int32_t>(lesson.coverage.Measure() * 1000 / measure.length_units())
          : 0;
}

}  // namespace

absl::StatusOr<int64_t> ProgressService::Who(const call::CallContext& call,
                                             int64_t member_id) const {
  return validation::MemberOrCaller(member_id, call.caller.member_id);
}

absl::StatusOr<int> ProgressService::YearOf(int year) const {
  if (year == 0) return static_cast<int>(TodayInChina(clock_.Now()).year());
  if (year < kMinYear || year > kMaxYear) {
    return status::InvalidField(
        "year", absl::StrCat("must be 0 (this year) or ", kMinYear, " to ", kMaxYear));
  }
  return year;
}

ProgressService::ProgressService(db::ConnectionPool& pool, const Clock& clock,
                                 ProgressRulesSource& rules, const ProgressRepository& progress,
                                 const LessonCatalog& catalog, const CourseCompletion& completion,
                                 const ProgressRecorder& recorder, const HoursLedger& ledger,
                                 const enrollment::EnrollmentRepository& enrollments,
                                 const enrollment::HoursOwed& hours_owed)
    : pool_(pool),
      clock_(clock),
      rules_(rules),
      progress_(progress),
      catalog_(catalog),
      completion_(completion),
      recorder_(recorder),
      ledger_(ledger),
      enrollments_(enrollments),
      hours_owed_(hours_owed),
      coalescer_(std::make_unique<ReportCoalescer>(
          ReportCoalescer::Limits{},
          [this](const std::vector<PendingReport*>& batch) { return WriteReports(batch); })) {}

absl::StatusOr<RecordOutcome> ProgressService::Record(
    const call::CallContext& call, int64_t member_id,
    const std::vector<ProgressEvent>& events) const {
  if (events.empty() || events.size() > kMaxEventsPerBatch) {
    return status::InvalidField("events", absl::StrCat("must hold 1 to ", kMaxEventsPerBatch,
                                                       " events (got ", events.size(), ")"));
  }
  ASSIGN_OR_RETURN(const int64_t who, Who(call, member_id));
  PendingReport report{&call, who, &events};
  // A large batch (a kiosk's day) is a transaction of its own; small reports share.
  if (events.size() > kLargeReport) {
    ASSIGN_OR_RETURN(std::vector<RecordOutcome> outcomes, WriteReports({&report}));
    return std::move(outcomes.front());
  }
  return coalescer_->Submit(report);
}

absl::StatusOr<std::vector<RecordOutcome>> ProgressService::WriteReports(
    const std::vector<PendingReport*>& batch) const {
  const absl::Time now = clock_.Now();
  absl::Time deadline = absl::InfinitePast();
  for (const PendingReport* report : batch) deadline = std::max(deadline, report->call->deadline);
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), deadline));
  std::vector<MemberEvents> calls;
  for (const PendingReport* report : batch) calls.push_back({report->member_id, report->events});
  const auto write = [&](bool look_up_known) {
    return db::RunTransactionFor<std::vector<RecordOutcome>>(
        pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<std::vector<RecordOutcome>> {
          // The write path of each call (call::RunWrite), around one shared transaction.
          for (const PendingReport* report : batch) {
            RETURN_IF_ERROR(call::HoldScope(tx, *report->call));
          }
          absl::StatusOr<std::vector<RecordOutcome>> written =
              recorder_.Record(tx, calls, now, rules, look_up_known);
          if (written.ok()) {
            for (const PendingReport* report : batch) {
              if (report->call->before_commit != nullptr) {
                (*report->call->before_commit)(*report->call);
              }
            }
          }
          return written;
        });
  };
  absl::StatusOr<std::vector<RecordOutcome>> outcomes = write(/*look_up_known=*/false);
  // An event stored before (a retry) or a device sequence used before (a replay): again,
  // looking them up, so each comes back as a duplicate or a rejection.
  if (outcomes.status().code() == absl::StatusCode::kAlreadyExists) {
    outcomes = write(/*look_up_known=*/true);
  }
  // One report's trouble (a bug, a member gone) must not fail the others: alone, each
  // gets its own answer.
  if (!outcomes.ok() && batch.size() > 1 &&
      outcomes.status().code() != absl::StatusCode::kUnavailable &&
      outcomes.status().code() != absl::StatusCode::kDeadlineExceeded) {
    std::vector<RecordOutcome> each;
    absl::Status first_error = absl::OkStatus();
    for (PendingReport* report : batch) {
      absl::StatusOr<std::vector<RecordOutcome>> alone = WriteReports({report});
      if (!alone.ok()) {
        report->outcome = alone.status();
        if (first_error.ok()) first_error = alone.status();
        each.emplace_back();
        continue;
      }
      each.push_back(std::move(alone->front()));
    }
    if (first_error.ok()) return each;
    return first_error;
  }
  return outcomes;
}

absl::StatusOr<CourseView> ProgressService::LoadCourse(db::Transaction& tx,
                                                       const call::CallContext& call,
                                                       int64_t member_id, int64_t course_id,
                                                       const ProgressRules& rules) const {
  ASSIGN_OR_RETURN(const bool member_exists, progress_.MemberExists(tx, member_id));
  if (!member_exists) return NoMember(member_id);
  ASSIGN_OR_RETURN(const std::optional<LessonFacts> course, catalog_.Course(tx, course_id));
  if (!course.has_value()) return NoCourse(course_id);
  CourseView view;
  view.member_id = member_id;
  view.course_id = course_id;
  view.rule_version = rules.version;
  ASSIGN_OR_RETURN(view.course, progress_.Course(tx, member_id, course_id));
  // Members do not see drafts: a course they never started that is not published is
  // unknown to them.
  if (!call.caller.IsAdmin() && course->course_state != course::CourseState::kPublished &&
      !view.course.has_value()) {
    return NoCourse(course_id);
  }
  ASSIGN_OR_RETURN(std::vector<LessonFacts> lessons, catalog_.CourseLessons(tx, course_id));
  ASSIGN_OR_RETURN(const std::vector<LessonProgress> progress,
                   progress_.LessonsOfCourse(tx, member_id, course_id));
  std::map<int64_t, const LessonProgress*> by_lesson;
  for (const LessonProgress& lesson : progress) by_lesson[lesson.lesson_id] = &lesson;
  for (LessonFacts& facts : lessons) {
    LessonView lesson;
    const LessonMeasure measure(facts, rules);
    if (const auto it = by_lesson.find(facts.lesson_id); it != by_lesson.end()) {
      lesson.progress = *it->second;
      SetCoveredPermille(measure, *lesson.progress);
      lesson.check =
          measure.Check(lesson.progress->coverage.Measure(), lesson.progress->time.wall_ms());
    } else {
      lesson.check = measure.Check(0, 0);
    }
    lesson.lesson = std::move(facts);
    view.lessons.push_back(std::move(lesson));
  }
  view.resume_lesson_id = ResumeLesson(view.lessons);
  if (view.course.has_value() && view.course->credit_id != 0) {
    ASSIGN_OR_RETURN(const std::optional<HoursCredit> credit,
                     ledger_.Find(tx, view.course->credit_id));
    if (credit.has_value() && credit->reversed_by_credit_id == 0) {
      view.credited_hundredths = credit->hundredths;
    }
  }
  return view;
}

absl::StatusOr<CourseView> ProgressService::CourseProgressOf(const call::CallContext& call,
                                                             int64_t member_id,
                                                             int64_t course_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("course_id", course_id));
  ASSIGN_OR_RETURN(const int64_t who, Who(call, member_id));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  return db::RunTransactionFor<CourseView>(pool_, call.deadline, [&](db::Transaction& tx) {
    return LoadCourse(tx, call, who, course_id, rules);
  });
}

absl::StatusOr<ChangesPage> ProgressService::Changes(const call::CallContext& call,
                                                     int64_t member_id, int64_t checkpoint,
                                                     int page_size) const {
  status::FieldErrors errors;
  if (checkpoint < 0) errors.Add("checkpoint", "must be 0 (everything) or a reply's checkpoint");
  if (page_size < 0 || page_size > kMaxChangesPage) {
    errors.Add("page_size",
               absl::StrCat("must be 0 to ", kMaxChangesPage, " (got ", page_size, ")"));
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const int64_t who, Who(call, member_id));
  const int limit = page_size == 0 ? kDefaultChangesPage : page_size;
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  return db::RunTransactionFor<ChangesPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<ChangesPage> {
        ASSIGN_OR_RETURN(const bool member_exists, progress_.MemberExists(tx, who));
        if (!member_exists) return NoMember(who);
        ChangesPage page;
        ASSIGN_OR_RETURN(page.lessons, progress_.ChangedSince(tx, who, checkpoint, limit + 1));
        page.more = static_cast<int>(page.lessons.size()) > limit;
        if (page.more) page.lessons.resize(limit);
        page.checkpoint = page.lessons.empty() ? checkpoint : page.lessons.back().checkpoint;
        std::vector<int64_t> ids;
        for (const LessonProgress& lesson : page.lessons) ids.push_back(lesson.lesson_id);
        ASSIGN_OR_RETURN(const auto facts, catalog_.Lessons(tx, ids));
        for (LessonProgress& lesson : page.lessons) {
          if (const auto it = facts.find(lesson.lesson_id); it != facts.end()) {
            SetCoveredPermille(LessonMeasure(it->second, rules), lesson);
          }
        }
        return page;
      });
}

absl::StatusOr<CourseView> ProgressService::Waive(const call::CallContext& call, int64_t member_id,
                                                  int64_t course_id, const std::string& reason,
                                                  bool credit_hours) const {
  status::FieldErrors errors;
  if (member_id <= 0) errors.Add("member_id", "must be a positive id");
  if (course_id <= 0) errors.Add("course_id", "must be a positive id");
  validation::CheckText(errors, "reason", reason, 1, kMaxReasonLength);
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  return call::RunIdempotentWrite<CourseView>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const bool member_exists, progress_.MemberExists(tx, member_id));
        if (!member_exists) return NoMember(member_id);
        RETURN_IF_ERROR(progress_.LockMembers(tx, {member_id}));
        ASSIGN_OR_RETURN(const std::optional<LessonFacts> course, catalog_.Course(tx, course_id));
        if (!course.has_value()) return NoCourse(course_id);
        if (course->course_state == course::CourseState::kDraft) {
          return absl::FailedPreconditionError(
              absl::StrCat("course ", course_id, " is a draft: nothing to waive yet"));
        }
        ASSIGN_OR_RETURN(std::optional<CourseProgress> progress,
                         progress_.Course(tx, member_id, course_id));
        if (progress.has_value() && progress->completed()) {
          return absl::FailedPreconditionError(
              absl::StrCat("member ", member_id, " has completed course ", course_id, " already"));
        }
        if (!progress.has_value()) {
          progress.emplace();
          progress->member_id = member_id;
          progress->course_id = course_id;
        }
        RETURN_IF_ERROR(completion_.Waive(tx, *progress, reason, call.caller.member_id,
                                          credit_hours, rules, now));
        RETURN_IF_ERROR(progress_.SaveCourse(tx, *progress));
        return course_id;
      },
      [&](db::Transaction& tx, int64_t id) { return LoadCourse(tx, call, member_id, id, rules); });
}

absl::StatusOr<HoursSummaryView> ProgressService::HoursSummary(const call::CallContext& call,
                                                               int64_t member_id, int year) const {
  ASSIGN_OR_RETURN(const int64_t who, Who(call, member_id));
  ASSIGN_OR_RETURN(const int the_year, YearOf(year));
  const absl::CivilDay today = TodayInChina(clock_.Now());
  return db::RunTransactionFor<HoursSummaryView>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<HoursSummaryView> {
        ASSIGN_OR_RETURN(const std::optional<enrollment::HoursObligation> owed,
                         hours_owed_.Of(tx, who, the_year, today));
        if (!owed.has_value()) return NoMember(who);
        HoursSummaryView view;
        view.member_id = who;
        view.year = the_year;
        view.required_hundredths = owed->hundredths;
        ASSIGN_OR_RETURN(view.hours, ledger_.Year(tx, who, the_year));
        ASSIGN_OR_RETURN(const auto counts, enrollments_.CountRequired(tx, who));
        view.required_courses = counts.required;
        view.required_courses_completed = counts.completed;
        return view;
      });
}

absl::StatusOr<CreditsPage> ProgressService::Credits(const call::CallContext& call,
                                                     int64_t member_id, int year, int page_size,
                                                     const std::string& page_token) const {
  ASSIGN_OR_RETURN(const int64_t who, Who(call, member_id));
  ASSIGN_OR_RETURN(const int the_year, YearOf(year));
  const absl::StatusOr<int> size = paging::PageSize(page_size);
  if (!size.ok()) return status::InvalidField("page_size", paging::PageSizeProblem(page_size));
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(who, "|", the_year));
  int64_t before_id = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kCreditPageKind, page_token, 1, fingerprint));
    before_id = cursor.keys[0];
  }
  return db::RunTransactionFor<CreditsPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<CreditsPage> {
        ASSIGN_OR_RETURN(const bool member_exists, progress_.MemberExists(tx, who));
        if (!member_exists) return NoMember(who);
        CreditsPage page;
        ASSIGN_OR_RETURN(page.credits, ledger_.List(tx, who, the_year, before_id, *size + 1));
        page.next_page_token =
            paging::TrimToPage(page.credits, *size, kCreditPageKind, fingerprint,
                               [](const HoursCredit& credit) { return credit.id; });
        return page;
      });
}

absl::StatusOr<HoursCredit> ProgressService::Grant(const call::CallContext& call,
                                                   const GrantInput& input) const {
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  status::FieldErrors errors;
  // A retry without an id would credit the hours again.
  if (call.request_id.empty()) errors.Add("request_id", "is required for a manual credit");
  if (input.member_id <= 0) errors.Add("member_id", "must be a positive id");
  if (input.hundredths <= 0 || input.hundredths > kMaxGrantHundredths) {
    errors.Add("hours", "must be more than 0 and at most 100 hours");
  }
  if (!input.happen_date.has_value()) {
    errors.Add("happen_date", "is required");
  } else if (*input.happen_date > today || input.happen_date->year() < kMinYear) {
    errors.Add("happen_date", "must be a day from 2000 to today");
  }
  if (!IsKnownContentCategory(input.content_category)) {
    errors.Add("content_category", "must be a known content category");
  }
  validation::CheckText(errors, "title", input.title, 1, kMaxTitleLength);
  validation::CheckText(errors, "reason", input.reason, 1, kMaxReasonLength);
  RETURN_IF_ERROR(errors.ToStatus());
  return call::RunIdempotentWrite<HoursCredit>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const bool member_exists, progress_.MemberExists(tx, input.member_id));
        if (!member_exists) return NoMember(input.member_id);
        HoursCredit credit;
        credit.member_id = input.member_id;
        credit.source = CreditSource::kManual;
        // The caller's request id: unique per member with the caller in it.
        credit.source_key = absl::StrCat("manual:", call.caller.member_id, ":", call.request_id);
        credit.title = input.title;
        credit.hundredths = input.hundredths;
        credit.content_category = static_cast<ContentCategory>(input.content_category);
        credit.actor_member_id = call.caller.member_id;
        credit.reason = input.reason;
        credit.happen_time = absl::FromCivil(*input.happen_date, ChinaTimeZone());
        ASSIGN_OR_RETURN(const HoursCredit stored, ledger_.Credit(tx, std::move(credit), now));
        return stored.id;
      },
      [&](db::Transaction& tx, int64_t id) -> absl::StatusOr<HoursCredit> {
        ASSIGN_OR_RETURN(std::optional<HoursCredit> credit, ledger_.Find(tx, id));
        if (!credit.has_value()) return absl::InternalError("credit vanished");
        return *std::move(credit);
      });
}

absl::StatusOr<HoursCredit> ProgressService::Reverse(const call::CallContext& call,
                                                     int64_t credit_id,
                                                     const std::string& reason) const {
  status::FieldErrors errors;
  if (credit_id <= 0) errors.Add("credit_id", "must be a positive id");
  validation::CheckText(errors, "reason", reason, 1, kMaxReasonLength);
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::Time now = clock_.Now();
  return call::RunIdempotentWrite<HoursCredit>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const HoursCredit reversal,
                         ledger_.Reverse(tx, credit_id, call.caller.member_id, reason, now));
        return reversal.id;
      },
      [&](db::Transaction& tx, int64_t id) -> absl::StatusOr<HoursCredit> {
        ASSIGN_OR_RETURN(std::optional<HoursCredit> credit, ledger_.Find(tx, id));
        if (!credit.has_value()) return absl::InternalError("credit vanished");
        return *std::move(credit);
      });
}

absl::StatusOr<uint64_t> ProgressService::CompactEvents(absl::Time deadline, int limit) const {
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(today, deadline));
  // The same boundary TimingRejection refuses events before: nothing compacted can come
  // back as new.
  const absl::Time before =
      absl::FromCivil(absl::CivilMonth(today) - rules.retention_months, ChinaTimeZone());
  return db::RunTransactionFor<uint64_t>(pool_, deadline, [&](db::Transaction& tx) {
    return progress_.CompactEvents(tx, before, limit);
  });
}

}  // namespace lms::progress
