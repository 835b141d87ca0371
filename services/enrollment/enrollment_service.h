#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/enrollment/enrollment.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/hours_owed.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_repository.h"
#include "services/enrollment/reference_lookup.h"
#include "services/enrollment/requirement_union.h"
#include "services/progress/hours_ledger.h"

namespace lms::enrollment {

inline constexpr size_t kMaxMemberNumbers = 10'000;
inline constexpr size_t kMaxStateReasonLength = 500;

// Whom an admin enrols: a subtree (optionally only some categories), or member numbers.
struct EnrollMembersInput {
  int64_t course_id = 0;
  int64_t subtree_organization_id = 0;
  std::vector<MemberCategory> categories;
  std::vector<std::string> member_numbers;
  bool by_numbers = false;
  std::optional<absl::CivilDay> due_date;
};

// Why a member number was not enrolled (numbers equal lms.v1.MemberNumberError.Problem).
enum class NumberProblem : int {
  kUnspecified = 0,
  kUnknown = 1,
  kOutsideSubtree = 2,
  kNotActive = 3,
  kMalformed = 4,
  kRepeated = 5,
};

struct NumberError {
  std::string member_number;
  NumberProblem problem = NumberProblem::kUnspecified;
  std::string reason;
};

struct EnrollMembersResult {
  int64_t enrolled = 0;
  int64_t already_enrolled = 0;
  std::vector<NumberError> errors;
};

// "My learning": open enrolments by urgency, and the year's hours requirement.
struct MyLearningView {
  int64_t member_id = 0;
  std::vector<LearningRow> items;
  int year = 0;
  HoursObligation hours;
  // Hours credited and study time so far this year (the progress ledger's summaries).
  progress::YearHours year_hours;
  // Offline events waiting for the member's confirmation.
  int64_t pending_progress_events = 0;
  // Electives their plans recommend that they have not taken up.
  std::vector<RecommendedRow> recommended;
};

struct ListEnrollmentsInput {
  int64_t member_id = 0;
  int64_t organization_id = 0;
  int64_t course_id = 0;
  std::vector<EnrollmentState> states;
  int page_size = 0;
  std::string page_token;
};

struct EnrollmentPage {
  std::vector<Enrollment> enrollments;
  std::string next_page_token;
};

// Enrolments: admins assign courses to subtrees, categories or lists of member numbers;
// members choose electives; withdrawals and waivers with reasons; "my learning" and
// listings. Authorization (subtree, ownership) is decided before these run; number lists
// are checked member by member in the same place (ScopeChecker). Thread-safe.
class EnrollmentService {
 public:
  EnrollmentService(db::ConnectionPool& pool, const Clock& clock, const PlanRepository& plans,
                    const EnrollmentRepository& enrollments, const MemberDirectory& members)
      : pool_(pool), clock_(clock), plans_(plans), enrollments_(enrollments), members_(members) {}

  [[nodiscard]] absl::StatusOr<EnrollMembersResult> EnrollMembers(
      const call::CallContext& call, const EnrollMembersInput& input) const;
  [[nodiscard]] absl::StatusOr<Enrollment> EnrollSelf(const call::CallContext& call,
                                                      int64_t course_id) const;
  [[nodiscard]] absl::StatusOr<Enrollment> Withdraw(const call::CallContext& call,
                                                    int64_t enrollment_id,
                                                    const std::string& reason) const;
  [[nodiscard]] absl::StatusOr<Enrollment> Waive(const call::CallContext& call,
                                                 int64_t enrollment_id,
                                                 const std::string& reason) const;
  [[nodiscard]] absl::StatusOr<MyLearningView> GetMyLearning(const call::CallContext& call,
                                                             int64_t member_id) const;
  [[nodiscard]] absl::StatusOr<EnrollmentPage> List(const call::CallContext& call,
                                                    const ListEnrollmentsInput& input) const;

 private:
  // NOT_FOUND or FAILED_PRECONDITION unless the course exists and is published.
  absl::Status CheckCourseOpen(db::Transaction& tx, int64_t course_id) const;
  absl::StatusOr<EnrollMembersResult> EnrollSubtree(db::Transaction& tx,
                                                    const call::CallContext& call,
                                                    const EnrollMembersInput& input) const;
  absl::StatusOr<EnrollMembersResult> EnrollNumbers(db::Transaction& tx,
                                                    const call::CallContext& call,
                                                    const EnrollMembersInput& input) const;
  // An enrolment as stored (NOT_FOUND if none): the answer of a write and of its retries.
  absl::StatusOr<Enrollment> Load(db::Transaction& tx, int64_t enrollment_id) const;
  absl::StatusOr<Enrollment> End(const call::CallContext& call, int64_t enrollment_id,
                                 const std::string& reason, EnrollmentState state) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PlanRepository& plans_;
  const EnrollmentRepository& enrollments_;
  const MemberDirectory& members_;
  const ReferenceLookup references_{};
  const HoursOwed hours_owed_{members_};
  const progress::HoursLedger ledger_{};
};

}  // namespace lms::enrollment
