#include "services/enrollment/plan_service.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/enrollment/plan_validation.h"

namespace lms::enrollment {
namespace {

using validation::CheckExpectedVersion;
using validation::CheckPositiveId;
using validation::CheckVersion;

constexpr char kPlanPageKind[] = "plans";

absl::Status NotFound(int64_t plan_id) {
  return absl::NotFoundError(absl::StrCat("plan ", plan_id, " not found"));
}

// (category, course) -> due date of every required course of a plan.
std::map<std::pair<MemberCategory, int64_t>, absl::CivilDay> RequiredCourses(
    const TrainingPlan& plan) {
  std::map<std::pair<MemberCategory, int64_t>, absl::CivilDay> courses;
  for (const CategoryRequirement& requirement : plan.requirements) {
    for (const RequiredCourse& course : requirement.required_courses) {
      courses[{requirement.category, course.course_id}] = course.due_date;
    }
  }
  return courses;
}

}  // namespace

template <typename Mutate>
absl::StatusOr<TrainingPlan> PlanService::Write(const call::CallContext& call,
                                                Mutate&& mutate) const {
  return call::RunIdempotentWrite<TrainingPlan>(
      pool_, call, clock_.Now(), std::forward<Mutate>(mutate),
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id, false); });
}

absl::StatusOr<TrainingPlan> PlanService::Load(db::Transaction& tx, int64_t plan_id,
                                               bool lock) const {
  ASSIGN_OR_RETURN(std::optional<TrainingPlan> plan, plans_.Find(tx, plan_id, lock));
  if (!plan.has_value()) return NotFound(plan_id);
  return *std::move(plan);
}

absl::Status PlanService::CheckCourses(db::Transaction& tx, const TrainingPlan& plan,
                                       bool published) const {
  std::vector<int64_t> ids;
  for (const CategoryRequirement& requirement : plan.requirements) {
    for (const RequiredCourse& course : requirement.required_courses)
      ids.push_back(course.course_id);
    ids.insert(ids.end(), requirement.recommended_course_ids.begin(),
               requirement.recommended_course_ids.end());
  }
  ASSIGN_OR_RETURN(const auto states, references_.CourseStates(tx, ids));
  for (size_t r = 0; r < plan.requirements.size(); ++r) {
    const CategoryRequirement& requirement = plan.requirements[r];
    const std::string field = absl::StrCat("plan.requirements[", r, "]");
    for (size_t i = 0; i < requirement.required_courses.size(); ++i) {
      const int64_t id = requirement.required_courses[i].course_id;
      const auto state = states.find(id);
      if (state == states.end()) {
        return absl::NotFoundError(
            absl::StrCat(field, ".required_courses[", i, "].course_id: course ", id, " not found"));
      }
      if (published && state->second != kCoursePublished) {
        return absl::FailedPreconditionError(
            absl::StrCat(field, ".required_courses[", i, "]: course ", id,
                         " is not published; only published courses can be required"));
      }
    }
    for (size_t i = 0; i < requirement.recommended_course_ids.size(); ++i) {
      const int64_t id = requirement.recommended_course_ids[i];
      if (states.count(id) == 0) {
        return absl::NotFoundError(
            absl::StrCat(field, ".recommended_course_ids[", i, "]: course ", id, " not found"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TrainingPlan> PlanService::Create(const call::CallContext& call,
                                                 const TrainingPlan& draft) const {
  status::FieldErrors errors;
  if (draft.organization_id <= 0) errors.Add("plan.organization_id", "must be a positive id");
  CheckPlanFields(errors, "plan.", draft);
  RETURN_IF_ERROR(errors.ToStatus());
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const std::optional<bool> closed,
                     references_.OrganizationClosed(tx, draft.organization_id));
    if (!closed.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("plan.organization_id: organization ", draft.organization_id, " not found"));
    }
    if (*closed) {
      return absl::FailedPreconditionError(absl::StrCat("organization ", draft.organization_id,
                                                        " is closed; a plan needs an open one"));
    }
    // The unique key refuses a concurrent twin; this names the plan that is there.
    ASSIGN_OR_RETURN(const std::optional<int64_t> existing,
                     plans_.IdForYear(tx, draft.organization_id, draft.year));
    if (existing.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("organization ", draft.organization_id,
                                                   " already has plan ", *existing, " for ",
                                                   draft.year));
    }
    RETURN_IF_ERROR(CheckCourses(tx, draft, false));
    return plans_.Insert(tx, draft, call.caller.member_id, clock_.Now());
  });
}

absl::StatusOr<TrainingPlan> PlanService::Update(const call::CallContext& call, int64_t plan_id,
                                                 int64_t expected_version,
                                                 const TrainingPlan& edited,
                                                 const std::string& change_reason) const {
  RETURN_IF_ERROR(CheckPositiveId("plan_id", plan_id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  if (change_reason.size() > kMaxChangeReasonLength) {
    return status::InvalidField("change_reason", "at most 500 characters");
  }
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const TrainingPlan current, Load(tx, plan_id, true));
    RETURN_IF_ERROR(CheckVersion("plan", plan_id, current.version, expected_version));
    if (current.state == PlanState::kClosed) {
      return absl::FailedPreconditionError("a closed plan is read-only");
    }
    TrainingPlan next = edited;
    next.id = current.id;
    next.organization_id = current.organization_id;
    next.year = current.year;
    status::FieldErrors errors;
    CheckPlanFields(errors, "plan.", next);
    RETURN_IF_ERROR(errors.ToStatus());
    const bool published = current.state == PlanState::kPublished;
    RETURN_IF_ERROR(CheckCourses(tx, next, published));
    const absl::Time now = clock_.Now();
    next.state = current.state;
    next.version = current.version + 1;
    next.published_version = current.published_version;
    next.update_time = now;
    next.publish_time = current.publish_time;
    next.close_time = current.close_time;
    PlanVersionInfo info;
    info.changed_by = call.caller.member_id;
    info.change_time = now;
    if (published) {
      const absl::CivilDay today = TodayInChina(now);
      absl::Status defaults_status = absl::OkStatus();
      const PlanReduction reduction =
          ReductionOf(current, next, [&](MemberCategory category) -> int64_t {
            absl::StatusOr<int64_t> hours =
                hours_.DefaultHundredths(tx, category, current.organization_id, today);
            if (!hours.ok()) {
              defaults_status = hours.status();
              return 0;
            }
            return *hours;
          });
      RETURN_IF_ERROR(defaults_status);
      if (!reduction.empty() && change_reason.empty()) {
        return status::InvalidField(
            "change_reason",
            "required: the edit removes a requirement, moves a due date earlier or lowers hours");
      }
      next.published_version = current.published_version + 1;
      info.effective_date = today;
      info.change_reason = change_reason;
      RETURN_IF_ERROR(plans_.WriteContent(tx, next, next.published_version, info));
      RETURN_IF_ERROR(ApplyEdit(tx, current, next, change_reason, call.caller.member_id, now));
    } else {
      RETURN_IF_ERROR(plans_.WriteContent(tx, next, 0, info));
    }
    RETURN_IF_ERROR(plans_.SaveHeader(tx, next));
    return plan_id;
  });
}

absl::Status PlanService::ApplyEdit(db::Transaction& tx, const TrainingPlan& before,
                                    const TrainingPlan& after, const std::string& change_reason,
                                    int64_t actor, absl::Time now) const {
  const auto was = RequiredCourses(before);
  const auto is = RequiredCourses(after);
  bool added = false;
  for (const auto& [key, due] : is) {
    const auto old = was.find(key);
    if (old == was.end()) {
      added = true;
    } else if (old->second != due) {
      RETURN_IF_ERROR(enrollments_.MovePlanDueDate(tx, before.id, key.first, key.second, due, now));
    }
  }
  for (const auto& [key, due] : was) {
    if (is.count(key) > 0) continue;
    RETURN_IF_ERROR(enrollments_.EndPlanRequirement(
        tx, before.id, key.first, key.second,
        absl::StrCat("removed from plan ", before.id, ": ", change_reason), actor, now));
  }
  if (!added) return absl::OkStatus();
  // The job walks the subtree again; what members have already is left as it is.
  ASSIGN_OR_RETURN(const int64_t targeted, members_.CountActive(tx, before.organization_id));
  return plans_.StartAssignment(tx, before.id, targeted, now);
}

absl::StatusOr<TrainingPlan> PlanService::Publish(const call::CallContext& call, int64_t plan_id,
                                                  int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("plan_id", plan_id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(TrainingPlan plan, Load(tx, plan_id, true));
    // Publishing a published plan again is the same request arriving twice: the job it
    // started goes on (or is done), and nothing else happens.
    if (plan.state == PlanState::kPublished) return plan_id;
    RETURN_IF_ERROR(CheckVersion("plan", plan_id, plan.version, expected_version));
    if (plan.state != PlanState::kDraft) {
      return absl::FailedPreconditionError("a closed plan cannot be published");
    }
    RETURN_IF_ERROR(CheckCourses(tx, plan, true));
    const absl::Time now = clock_.Now();
    PlanVersionInfo info;
    info.published_version = 1;
    info.effective_date = TodayInChina(now);
    info.changed_by = call.caller.member_id;
    info.change_time = now;
    RETURN_IF_ERROR(plans_.WriteContent(tx, plan, 1, info));
    plan.state = PlanState::kPublished;
    plan.version += 1;
    plan.published_version = 1;
    plan.update_time = now;
    plan.publish_time = now;
    RETURN_IF_ERROR(plans_.SaveHeader(tx, plan));
    ASSIGN_OR_RETURN(const int64_t targeted, members_.CountActive(tx, plan.organization_id));
    RETURN_IF_ERROR(plans_.StartAssignment(tx, plan_id, targeted, now));
    return plan_id;
  });
}

absl::StatusOr<TrainingPlan> PlanService::Close(const call::CallContext& call, int64_t plan_id,
                                                int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("plan_id", plan_id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(TrainingPlan plan, Load(tx, plan_id, true));
    RETURN_IF_ERROR(CheckVersion("plan", plan_id, plan.version, expected_version));
    if (plan.state != PlanState::kPublished) {
      return absl::FailedPreconditionError("only a published plan can be closed");
    }
    const absl::Time now = clock_.Now();
    if (TodayInChina(now).year() <= plan.year) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", plan_id, " can be closed once ", plan.year, " is over"));
    }
    plan.state = PlanState::kClosed;
    plan.version += 1;
    plan.update_time = now;
    plan.close_time = now;
    RETURN_IF_ERROR(plans_.SaveHeader(tx, plan));
    return plan_id;
  });
}

absl::StatusOr<TrainingPlan> PlanService::Get(const call::CallContext& call, int64_t plan_id,
                                              int published_version) const {
  RETURN_IF_ERROR(CheckPositiveId("plan_id", plan_id));
  if (published_version < 0) {
    return status::InvalidField("published_version", "must be 0 (current) or a version");
  }
  return db::RunTransactionFor<TrainingPlan>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<TrainingPlan> {
        ASSIGN_OR_RETURN(TrainingPlan plan, Load(tx, plan_id, false));
        // Members see what was published, never a draft.
        if (!call.caller.IsAdmin() && plan.state == PlanState::kDraft) return NotFound(plan_id);
        if (published_version == 0) return plan;
        return plans_.FindVersion(tx, plan_id, published_version);
      });
}

absl::StatusOr<std::vector<PlanVersionInfo>> PlanService::ListVersions(
    const call::CallContext& call, int64_t plan_id) const {
  RETURN_IF_ERROR(CheckPositiveId("plan_id", plan_id));
  return db::RunTransactionFor<std::vector<PlanVersionInfo>>(
      pool_, call.deadline,
      [&](db::Transaction& tx) -> absl::StatusOr<std::vector<PlanVersionInfo>> {
        RETURN_IF_ERROR(Load(tx, plan_id, false).status());
        return plans_.Versions(tx, plan_id);
      });
}

absl::StatusOr<PlanPage> PlanService::List(const call::CallContext& call,
                                           const ListPlansInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (input.year != 0 && (input.year < kMinPlanYear || input.year > kMaxPlanYear)) {
    errors.Add("year", "must be 0 or 2000 to 2100");
  }
  const int state = static_cast<int>(input.state);
  if (state < 0 || state > static_cast<int>(PlanState::kClosed)) {
    errors.Add("state", "must be a known plan state or unset");
  }
  if (input.organization_id < 0) errors.Add("organization_id", "must be 0 or a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  PlanFilter filter;
  filter.organization_id =
      input.organization_id != 0 ? input.organization_id : call.caller.organization_id;
  // Members (and kiosk sessions) see the published plans covering them.
  filter.covering = !call.caller.IsAdmin();
  filter.year = input.year;
  if (input.state != PlanState::kUnspecified) {
    filter.states = {input.state};
  } else if (filter.covering) {
    filter.states = {PlanState::kPublished, PlanState::kClosed};
  }
  if (filter.covering && input.state == PlanState::kDraft) return PlanPage{};
  const uint64_t fingerprint = paging::StableHash(
      absl::StrCat(filter.organization_id, "/", filter.covering, "/", filter.year, "/", state));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kPlanPageKind, input.page_token, 1, fingerprint));
    filter.after_id = cursor.keys[0];
  }
  filter.limit = *page_size + 1;
  return db::RunTransactionFor<PlanPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<PlanPage> {
        PlanPage page;
        ASSIGN_OR_RETURN(page.plans, plans_.List(tx, filter));
        page.next_page_token =
            paging::TrimToPage(page.plans, *page_size, kPlanPageKind, fingerprint,
                               [](const TrainingPlan& plan) { return plan.id; });
        return page;
      });
}

}  // namespace lms::enrollment
