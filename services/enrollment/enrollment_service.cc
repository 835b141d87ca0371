#include "services/enrollment/enrollment_service.h"

#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/enrollment/learning_order.h"

namespace lms::enrollment {
namespace {

using validation::CheckPositiveId;

constexpr char kEnrollmentPageKind[] = "enrollments";
constexpr int kMembersPerBatch = 1000;
constexpr size_t kMaxMemberNumberLength = 32;
// How far ahead an admin may set a due date.
constexpr int kMaxDueYearsAhead = 5;
// Recommended electives "my learning" lists (the contract says at most 200).
constexpr int kMaxRecommended = 200;

absl::Status EnrollmentNotFound(int64_t id) {
  return absl::NotFoundError(absl::StrCat("enrollment ", id, " not found"));
}

absl::Status CheckStateReason(const std::string& reason) {
  status::FieldErrors errors;
  validation::CheckText(errors, "reason", reason, 1, kMaxStateReasonLength);
  return errors.ToStatus();
}

}  // namespace

absl::Status EnrollmentService::CheckCourseOpen(db::Transaction& tx, int64_t course_id) const {
  ASSIGN_OR_RETURN(const auto states, references_.CourseStates(tx, {course_id}));
  const auto state = states.find(course_id);
  if (state == states.end()) {
    return absl::NotFoundError(absl::StrCat("course ", course_id, " not found"));
  }
  if (state->second != kCoursePublished) {
    return absl::FailedPreconditionError(
        absl::StrCat("course ", course_id,
                     " is not published: a draft or archived course"
                     " takes no enrolments"));
  }
  return absl::OkStatus();
}

absl::StatusOr<EnrollMembersResult> EnrollmentService::EnrollMembers(
    const call::CallContext& call, const EnrollMembersInput& input) const {
  status::FieldErrors errors;
  if (input.course_id <= 0) errors.Add("course_id", "must be a positive id");
  const absl::CivilDay today = TodayInChina(clock_.Now());
  if (input.due_date.has_value() &&
      (*input.due_date < today ||
       *input.due_date > absl::CivilDay(today.year() + kMaxDueYearsAhead, today.month(), 1))) {
    errors.Add("due_date", "must be from today to five years ahead");
  }
  if (input.by_numbers) {
    if (input.member_numbers.empty() || input.member_numbers.size() > kMaxMemberNumbers) {
      errors.Add("members.member_numbers", "must list 1 to 10,000 member numbers");
    }
  } else if (input.subtree_organization_id <= 0) {
    errors.Add("subtree.organization_id", "must be a positive id (or give members instead)");
  } else {
    std::set<MemberCategory> seen;
    for (size_t i = 0; i < input.categories.size(); ++i) {
      const std::string field = absl::StrCat("subtree.categories[", i, "]");
      if (!IsKnownMemberCategory(static_cast<int>(input.categories[i]))) {
        errors.Add(field, "must be a known member category");
      } else if (!seen.insert(input.categories[i]).second) {
        errors.Add(field, "repeated");
      }
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  // A retry enrols nobody twice (unique keys); it reports them as enrolled already.
  return call::RunWrite<EnrollMembersResult>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<EnrollMembersResult> {
        RETURN_IF_ERROR(CheckCourseOpen(tx, input.course_id));
        return input.by_numbers ? EnrollNumbers(tx, call, input) : EnrollSubtree(tx, call, input);
      });
}

absl::StatusOr<EnrollMembersResult> EnrollmentService::EnrollSubtree(
    db::Transaction& tx, const call::CallContext& call, const EnrollMembersInput& input) const {
  const int64_t wanted_mask = MemberCategoryMask(input.categories);
  const absl::Time now = clock_.Now();
  EnrollMembersResult result;
  int64_t cursor = 0;
  while (true) {
    ASSIGN_OR_RETURN(
        const std::vector<Enrollee> batch,
        members_.ActiveBatch(tx, input.subtree_organization_id, cursor, kMembersPerBatch));
    std::vector<EnrollmentReason> reasons;
    for (const Enrollee& member : batch) {
      if (wanted_mask != 0 && (member.category_mask & wanted_mask) == 0) continue;
      EnrollmentReason reason;
      reason.member_id = member.id;
      reason.course_id = input.course_id;
      reason.kind = ReasonKind::kAssigned;
      reason.organization_id = input.subtree_organization_id;
      reason.assigned_by = call.caller.member_id;
      reason.due_date = input.due_date;
      reasons.push_back(reason);
    }
    ASSIGN_OR_RETURN(const OpenedReasons opened, enrollments_.OpenReasons(tx, reasons, now));
    result.enrolled += opened.created;
    result.already_enrolled += opened.existing;
    if (static_cast<int>(batch.size()) < kMembersPerBatch) break;
    cursor = batch.back().id;
  }
  return result;
}

absl::StatusOr<EnrollMembersResult> EnrollmentService::EnrollNumbers(
    db::Transaction& tx, const call::CallContext& call, const EnrollMembersInput& input) const {
  EnrollMembersResult result;
  std::vector<std::string> wellformed;
  std::set<std::string> seen;
  for (const std::string& number : input.member_numbers) {
    status::FieldErrors format;
    if (!validation::CheckCode(format, "member_number", number, kMaxMemberNumberLength)) {
      result.errors.push_back({number, NumberProblem::kMalformed,
                               "not a member number (1-32 of A-Z, a-z, 0-9, _ and -)"});
    } else if (!seen.insert(number).second) {
      result.errors.push_back({number, NumberProblem::kRepeated, "already earlier in the list"});
    } else {
      wellformed.push_back(number);
    }
  }
  ASSIGN_OR_RETURN(const std::vector<Enrollee> found, members_.ByNumbers(tx, wellformed));
  absl::flat_hash_map<std::string, const Enrollee*> by_number;
  for (const Enrollee& member : found) by_number[member.member_number] = &member;
  std::vector<EnrollmentReason> reasons;
  for (const std::string& number : wellformed) {
    const auto it = by_number.find(number);
    if (it == by_number.end()) {
      result.errors.push_back({number, NumberProblem::kUnknown, "no member has this number"});
      continue;
    }
    const Enrollee& member = *it->second;
    // The one place that decides reach, member by member.
    if (call.scope_checker != nullptr &&
        !call.scope_checker->CheckOne(tx, call.caller, {auth::ScopeKind::kMember, member.id})
             .ok()) {
      result.errors.push_back({number, NumberProblem::kOutsideSubtree,
                               "the member is outside your organisation's subtree"});
      continue;
    }
    if (!member.active()) {
      result.errors.push_back(
          {number, NumberProblem::kNotActive, "the member is transferred out or inactive"});
      continue;
    }
    EnrollmentReason reason;
    reason.member_id = member.id;
    reason.course_id = input.course_id;
    reason.kind = ReasonKind::kAssigned;
    // The assignment holds within the admin's own subtree.
    reason.organization_id = call.caller.organization_id;
    reason.assigned_by = call.caller.member_id;
    reason.due_date = input.due_date;
    reasons.push_back(reason);
  }
  ASSIGN_OR_RETURN(const OpenedReasons opened, enrollments_.OpenReasons(tx, reasons, clock_.Now()));
  result.enrolled = opened.created;
  result.already_enrolled = opened.existing;
  return result;
}

absl::StatusOr<Enrollment> EnrollmentService::Load(db::Transaction& tx,
                                                   int64_t enrollment_id) const {
  ASSIGN_OR_RETURN(const std::optional<Enrollment> enrollment,
                   enrollments_.Find(tx, enrollment_id, false));
  if (!enrollment.has_value()) return EnrollmentNotFound(enrollment_id);
  return *enrollment;
}

absl::StatusOr<Enrollment> EnrollmentService::EnrollSelf(const call::CallContext& call,
                                                         int64_t course_id) const {
  RETURN_IF_ERROR(CheckPositiveId("course_id", course_id));
  const int64_t member_id = call.caller.member_id;
  return call::RunIdempotentWrite<Enrollment>(
      pool_, call, clock_.Now(),
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        RETURN_IF_ERROR(CheckCourseOpen(tx, course_id));
        EnrollmentReason reason;
        reason.member_id = member_id;
        reason.course_id = course_id;
        reason.kind = ReasonKind::kElective;
        RETURN_IF_ERROR(enrollments_.OpenReasons(tx, {reason}, clock_.Now()).status());
        ASSIGN_OR_RETURN(const std::optional<Enrollment> enrollment,
                         enrollments_.FindByMemberAndCourse(tx, member_id, course_id));
        if (!enrollment.has_value()) return absl::InternalError("enrollment vanished");
        return enrollment->id;
      },
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id); });
}

// A retry with the same request id answers the enrolment as it is now, where a second
// call without one finds it ended (FAILED_PRECONDITION).
absl::StatusOr<Enrollment> EnrollmentService::End(const call::CallContext& call,
                                                  int64_t enrollment_id, const std::string& reason,
                                                  EnrollmentState state) const {
  RETURN_IF_ERROR(CheckPositiveId("enrollment_id", enrollment_id));
  RETURN_IF_ERROR(CheckStateReason(reason));
  return call::RunIdempotentWrite<Enrollment>(
      pool_, call, clock_.Now(),
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const std::optional<Enrollment> current,
                         enrollments_.Find(tx, enrollment_id, true));
        if (!current.has_value()) return EnrollmentNotFound(enrollment_id);
        if (!IsOpen(current->state)) {
          return absl::FailedPreconditionError(
              absl::StrCat("enrollment ", enrollment_id, " has ended already"));
        }
        if (!call.caller.IsAdmin() && current->required) {
          return absl::FailedPreconditionError(
              "a required course cannot be withdrawn by the member; an admin can withdraw or "
              "waive it");
        }
        RETURN_IF_ERROR(enrollments_.End(tx, enrollment_id, state, reason, call.caller.member_id,
                                         clock_.Now()));
        return enrollment_id;
      },
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id); });
}

absl::StatusOr<Enrollment> EnrollmentService::Withdraw(const call::CallContext& call,
                                                       int64_t enrollment_id,
                                                       const std::string& reason) const {
  return End(call, enrollment_id, reason, EnrollmentState::kWithdrawn);
}

absl::StatusOr<Enrollment> EnrollmentService::Waive(const call::CallContext& call,
                                                    int64_t enrollment_id,
                                                    const std::string& reason) const {
  return End(call, enrollment_id, reason, EnrollmentState::kWaived);
}

absl::StatusOr<MyLearningView> EnrollmentService::GetMyLearning(const call::CallContext& call,
                                                                int64_t member_id) const {
  ASSIGN_OR_RETURN(const int64_t who, validation::MemberOrCaller(member_id, call.caller.member_id));
  const absl::CivilDay today = TodayInChina(clock_.Now());
  return db::RunTransactionFor<MyLearningView>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<MyLearningView> {
        MyLearningView view;
        view.member_id = who;
        view.year = static_cast<int>(today.year());
        ASSIGN_OR_RETURN(const std::optional<HoursObligation> owed,
                         hours_owed_.Of(tx, who, view.year, today));
        if (!owed.has_value())
          return absl::NotFoundError(absl::StrCat("member ", who, " not found"));
        view.hours = *owed;
        ASSIGN_OR_RETURN(std::vector<LearningRow> rows, enrollments_.OpenLearning(tx, who));
        std::vector<LearningEntry> entries;
        absl::flat_hash_map<int64_t, LearningRow*> by_id;
        for (LearningRow& row : rows) {
          entries.push_back(row.entry);
          by_id[row.entry.enrollment_id] = &row;
        }
        for (const LearningEntry& entry : OrderByUrgency(std::move(entries), today)) {
          LearningRow item = *by_id[entry.enrollment_id];
          item.entry = entry;
          view.items.push_back(std::move(item));
        }
        ASSIGN_OR_RETURN(view.year_hours, ledger_.Year(tx, who, view.year));
        ASSIGN_OR_RETURN(view.pending_progress_events, enrollments_.CountPendingProgress(tx, who));
        ASSIGN_OR_RETURN(view.recommended,
                         enrollments_.Recommended(tx, who, view.year, kMaxRecommended));
        return view;
      });
}

absl::StatusOr<EnrollmentPage> EnrollmentService::List(const call::CallContext& call,
                                                       const ListEnrollmentsInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  const bool by_course = input.organization_id != 0 || input.course_id != 0;
  if (by_course && input.member_id != 0) {
    errors.Add("member_id", "give a member, or an organization_id with a course_id, not both");
  } else if (by_course && (input.organization_id <= 0 || input.course_id <= 0)) {
    errors.Add(input.organization_id <= 0 ? "organization_id" : "course_id",
               "organization_id and course_id are given together, each a positive id");
  } else if (input.member_id < 0) {
    errors.Add("member_id", "must be 0 (you) or a positive id");
  }
  for (size_t i = 0; i < input.states.size(); ++i) {
    const int state = static_cast<int>(input.states[i]);
    if (state < 1 || state > static_cast<int>(EnrollmentState::kWaived)) {
      errors.Add(absl::StrCat("states[", i, "]"), "must be a known enrollment state");
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  // A member's organisation is in its reach (it reads its plans), but the other members'
  // enrolments there are not.
  if (by_course && !call.caller.IsAdmin()) {
    return absl::PermissionDeniedError(
        "only admins list a course's enrolments across an organisation; members list their own");
  }
  EnrollmentFilter filter;
  if (by_course) {
    filter.organization_id = input.organization_id;
    filter.course_id = input.course_id;
  } else {
    filter.member_id = input.member_id != 0 ? input.member_id : call.caller.member_id;
    if (filter.member_id == 0) {
      return status::InvalidField("member_id", "required for a caller who is no member");
    }
  }
  filter.states = input.states;
  std::string states_key;
  for (const EnrollmentState state : input.states) {
    absl::StrAppend(&states_key, static_cast<int>(state), ",");
  }
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(
      filter.member_id, "/", filter.organization_id, "/", filter.course_id, "/", states_key));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(
        const paging::KeysetCursor cursor,
        paging::DecodeKeysetToken(kEnrollmentPageKind, input.page_token, 1, fingerprint));
    filter.after_id = cursor.keys[0];
  }
  filter.limit = *page_size + 1;
  return db::RunTransactionFor<EnrollmentPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<EnrollmentPage> {
        EnrollmentPage page;
        ASSIGN_OR_RETURN(page.enrollments, enrollments_.List(tx, filter));
        page.next_page_token =
            paging::TrimToPage(page.enrollments, *page_size, kEnrollmentPageKind, fingerprint,
                               [](const Enrollment& enrollment) { return enrollment.id; });
        return page;
      });
}

}  // namespace lms::enrollment
