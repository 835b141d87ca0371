#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/hours_owed.h"
#include "services/progress/course_completion.h"
#include "services/progress/hours_ledger.h"
#include "services/progress/lesson_catalog.h"
#include "services/progress/lesson_measure.h"
#include "services/progress/progress.h"
#include "services/progress/progress_recorder.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"
#include "services/progress/report_coalescer.h"

namespace lms::progress {

// One lesson of a course as a member stands in it.
struct LessonView {
  LessonFacts lesson;
  // nullopt when never touched.
  std::optional<LessonProgress> progress;
  CompletionCheck check;
};

// A member's standing in a course.
struct CourseView {
  int64_t member_id = 0;
  int64_t course_id = 0;
  std::vector<LessonView> lessons;
  // nullopt when not started.
  std::optional<CourseProgress> course;
  int64_t resume_lesson_id = 0;
  int64_t credited_hundredths = 0;
  // The rules in force today.
  int64_t rule_version = 0;
};

struct ChangesPage {
  std::vector<LessonProgress> lessons;
  int64_t checkpoint = 0;
  bool more = false;
};

struct HoursSummaryView {
  int64_t member_id = 0;
  int year = 0;
  int64_t required_hundredths = 0;
  YearHours hours;
  int32_t required_courses = 0;
  int32_t required_courses_completed = 0;
};

struct CreditsPage {
  std::vector<HoursCredit> credits;
  std::string next_page_token;
};

struct GrantInput {
  int64_t member_id = 0;
  int64_t hundredths = 0;
  std::optional<absl::CivilDay> happen_date;
  int content_category = 0;
  std::string title;
  std::string reason;
};

// Progress, completion and the ledger's RPCs (lms.v1.ProgressService): validation, the
// transaction around each call, and the views clients read. Authorization (role, the
// member's subtree, the credit's owner) was decided before a call gets here. Thread-safe.
class ProgressService {
 public:
  ProgressService(db::ConnectionPool& pool, const Clock& clock, ProgressRulesSource& rules,
                  const ProgressRepository& progress, const LessonCatalog& catalog,
                  const CourseCompletion& completion, const ProgressRecorder& recorder,
                  const HoursLedger& ledger, const enrollment::EnrollmentRepository& enrollments,
                  const enrollment::HoursOwed& hours_owed);

  // Small reports of different members share a transaction (ReportCoalescer).
  [[nodiscard]] absl::StatusOr<RecordOutcome> Record(
      const call::CallContext& call, int64_t member_id,
      const std::vector<ProgressEvent>& events) const;
  [[nodiscard]] absl::StatusOr<CourseView> CourseProgressOf(const call::CallContext& call,
                                                            int64_t member_id,
                                                            int64_t course_id) const;
  [[nodiscard]] absl::StatusOr<ChangesPage> Changes(const call::CallContext& call,
                                                    int64_t member_id, int64_t checkpoint,
                                                    int page_size) const;
  [[nodiscard]] absl::StatusOr<CourseView> Waive(const call::CallContext& call, int64_t member_id,
                                                 int64_t course_id, const std::string& reason,
                                                 bool credit_hours) const;
  [[nodiscard]] absl::StatusOr<HoursSummaryView> HoursSummary(const call::CallContext& call,
                                                              int64_t member_id, int year) const;
  [[nodiscard]] absl::StatusOr<CreditsPage> Credits(const call::CallContext& call,
                                                    int64_t member_id, int year, int page_size,
                                                    const std::string& page_token) const;
  [[nodiscard]] absl::StatusOr<HoursCredit> Grant(const call::CallContext& call,
                                                  const GrantInput& input) const;
  [[nodiscard]] absl::StatusOr<HoursCredit> Reverse(const call::CallContext& call,
                                                    int64_t credit_id,
                                                    const std::string& reason) const;
  // Deletes raw events older than the retention window, up to `limit`; the number deleted.
  [[nodiscard]] absl::StatusOr<uint64_t> CompactEvents(absl::Time deadline, int limit) const;

 private:
  // The member a call is about: `member_id`, or the caller for 0.
  [[nodiscard]] absl::StatusOr<int64_t> Who(const call::CallContext& call, int64_t member_id) const;
  // The year asked for: 0 for this one.
  [[nodiscard]] absl::StatusOr<int> YearOf(int year) const;
  // Writes reports of distinct members in one transaction.
  [[nodiscard]] absl::StatusOr<std::vector<RecordOutcome>> WriteReports(
      const std::vector<PendingReport*>& batch) const;
  [[nodiscard]] absl::StatusOr<CourseView> LoadCourse(db::Transaction& tx,
                                                      const call::CallContext& call,
                                                      int64_t member_id, int64_t course_id,
                                                      const ProgressRules& rules) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  ProgressRulesSource& rules_;
  const ProgressRepository& progress_;
  const LessonCatalog& catalog_;
  const CourseCompletion& completion_;
  const ProgressRecorder& recorder_;
  const HoursLedger& ledger_;
  const enrollment::EnrollmentRepository& enrollments_;
  const enrollment::HoursOwed& hours_owed_;
  std::unique_ptr<ReportCoalescer> coalescer_;
};

}  // namespace lms::progress
