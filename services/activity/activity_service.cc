#include "services/activity/activity_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/sign_in_code.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/activity/activity_validation.h"
#include "services/activity/class_seats.h"

namespace lms::activity {
namespace {

constexpr char kActivityPageKind[] = "activities";
constexpr int kMaxListDays = 366;

absl::Status NotFound(int64_t activity_id) {
  return absl::NotFoundError(absl::StrCat("activity ", activity_id, " not found"));
}

absl::Status RefuseFinished(const Activity& activity, absl::string_view doing) {
  if (activity.state == ActivityState::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("activity ", activity.id, " is closed: ", doing,
                     " is no longer possible (record attendance to correct it)"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("activity ", activity.id, " was cancelled: ", activity.cancel_reason));
}

}  // namespace

template <typename Mutate>
absl::StatusOr<Activity> ActivityService::Write(const call::CallContext& call,
                                                Mutate&& mutate) const {
  return call::RunIdempotentWrite<Activity>(
      pool_, call, clock_.Now(), std::forward<Mutate>(mutate),
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id); });
}

absl::StatusOr<Activity> ActivityService::Load(db::Transaction& tx, int64_t activity_id,
                                               int64_t version) const {
  ASSIGN_OR_RETURN(std::optional<Activity> activity,
                   activities_.Find(tx, activity_id, ActivityRepository::Lock::kNone, version));
  if (!activity.has_value()) {
    if (version > 0) {
      return absl::NotFoundError(
          absl::StrCat("activity ", activity_id, " has no version ", version));
    }
    return NotFound(activity_id);
  }
  ASSIGN_OR_RETURN(const AttendanceCounts counts, activities_.Counts(tx, activity_id));
  activity->attendee_count = counts.present;
  if (activity->IsClass()) {
    ASSIGN_OR_RETURN(const SeatCounts seats, seats_.Counts(tx, activity_id));
    activity->seated_count = seats.seated;
    activity->waiting_count = seats.waiting;
  }
  return *std::move(activity);
}

absl::Status ActivityService::PrepareContent(db::Transaction& tx, const call::CallContext& call,
                                             Activity& activity) const {
  const int64_t lecturer = activity.content.lecturer.member_id;
  if (lecturer > 0) {
    ASSIGN_OR_RETURN(const std::vector<enrollment::Enrollee> found,
                     members_.FindMany(tx, {lecturer}));
    if (found.empty()) {
      return absl::NotFoundError(
          absl::StrCat("activity.lecturer.member_id: member ", lecturer, " not found"));
    }
    // The lecturer is credited hours: an admin names only members within reach.
    if (call.scope_checker != nullptr) {
      RETURN_IF_ERROR(call.scope_checker->HoldMember(tx, call.caller, lecturer));
    }
  }
  const int64_t makeup = activity.content.makeup_course_id;
  if (makeup > 0) {
    ASSIGN_OR_RETURN(const auto states, references_.CourseStates(tx, {makeup}));
    const auto found = states.find(makeup);
    if (found == states.end()) {
      return absl::NotFoundError(
          absl::StrCat("activity.makeup_course_id: course ", makeup, " not found"));
    }
    if (found->second != enrollment::kCoursePublished) {
      return absl::FailedPreconditionError(
          absl::StrCat("activity.makeup_course_id: course ", makeup,
                       " is not published: members cannot study it"));
    }
  }
  const int64_t plan = activity.content.training_class.plan_id;
  if (plan > 0) {
    // A class belongs to a plan of its own organisation or of one above it.
    ASSIGN_OR_RETURN(const std::optional<int64_t> plan_organization,
                     plans_.OrganizationOf(tx, plan, false));
    if (!plan_organization.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("activity.training_class.plan_id: plan ", plan, " not found"));
    }
    ASSIGN_OR_RETURN(const bool covers,
                     members_.InSubtree(tx, *plan_organization, activity.organization_id));
    if (!covers) {
      return status::InvalidField("activity.training_class.plan_id",
                                  "must be a plan of the class's organisation or one above it");
    }
  }
  ASSIGN_OR_RETURN(activity.hours, hours_rule_.For(tx, activity.organization_id, activity.kind,
                                                   activity.content.start_time,
                                                   activity.content.end_time, lecturer > 0));
  return absl::OkStatus();
}

absl::StatusOr<Activity> ActivityService::Create(const call::CallContext& call,
                                                 int64_t organization_id, ActivityKind kind,
                                                 ActivityContent content) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  if (organization_id <= 0) {
    return status::InvalidField("activity.organization_id", "must be a positive id");
  }
  ApplyDefaultWindows(content, now);
  RETURN_IF_ERROR(CheckActivity("activity.", kind, content, now));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const std::optional<bool> closed,
                     references_.OrganizationClosed(tx, organization_id));
    if (!closed.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("activity.organization_id: organization ", organization_id, " not found"));
    }
    if (*closed) {
      return absl::FailedPreconditionError(
          absl::StrCat("organization ", organization_id, " is closed"));
    }
    Activity activity;
    activity.organization_id = organization_id;
    activity.kind = kind;
    activity.state = ActivityState::kScheduled;
    activity.content = content;
    activity.sign_in_secret = auth::NewSignInSecret();
    activity.created_by = call.caller.member_id;
    RETURN_IF_ERROR(PrepareContent(tx, call, activity));
    return activities_.Insert(tx, activity, now);
  });
}

absl::StatusOr<Activity> ActivityService::Update(const call::CallContext& call, int64_t activity_id,
                                                 int64_t expected_version, ActivityContent content,
                                                 const std::string& change_reason) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  RETURN_IF_ERROR(validation::CheckExpectedVersion(expected_version));
  ApplyDefaultWindows(content, now);
  if (!change_reason.empty()) RETURN_IF_ERROR(CheckReason("change_reason", change_reason));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Activity> activity,
                     activities_.Find(tx, activity_id, ActivityRepository::Lock::kUpdate));
    if (!activity.has_value()) return NotFound(activity_id);
    RETURN_IF_ERROR(CheckActivity("activity.", activity->kind, content, now));
    if (activity->Finished()) return RefuseFinished(*activity, "editing");
    RETURN_IF_ERROR(
        validation::CheckVersion("activity", activity_id, activity->version, expected_version));
    ASSIGN_OR_RETURN(const AttendanceCounts counts, activities_.Counts(tx, activity_id));
    if (counts.present + counts.excused > 0 && change_reason.empty()) {
      return status::InvalidField("change_reason", "is required once attendance has been recorded");
    }
    if (activity->IsClass()) {
      ASSIGN_OR_RETURN(const SeatCounts seats, seats_.Counts(tx, activity_id, true));
      if (content.training_class.capacity < seats.seated) {
        return absl::FailedPreconditionError(
            absl::StrCat("class ", activity_id, " has ", seats.seated,
                         " members seated: withdraw some before lowering the capacity below that"));
      }
    }
    activity->content = std::move(content);
    activity->version += 1;
    activity->change_reason = change_reason;
    activity->update_time = now;
    RETURN_IF_ERROR(PrepareContent(tx, call, *activity));
    RETURN_IF_ERROR(activities_.InsertVersion(tx, *activity, call.caller.member_id, now));
    RETURN_IF_ERROR(activities_.SaveHeader(tx, *activity, 0));
    if (activity->IsClass()) {
      // More seats: the waitlist moves up at once.
      RETURN_IF_ERROR(SeatWaitingMembers(tx, seats_, *activity, now).status());
    }
    return activity_id;
  });
}

absl::StatusOr<Activity> ActivityService::Cancel(const call::CallContext& call, int64_t activity_id,
                                                 int64_t expected_version,
                                                 const std::string& reason) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  RETURN_IF_ERROR(validation::CheckExpectedVersion(expected_version));
  RETURN_IF_ERROR(CheckReason("reason", reason));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Activity> activity,
                     activities_.Find(tx, activity_id, ActivityRepository::Lock::kUpdate));
    if (!activity.has_value()) return NotFound(activity_id);
    if (activity->state == ActivityState::kCancelled) return activity_id;
    if (activity->Finished()) return RefuseFinished(*activity, "cancelling");
    RETURN_IF_ERROR(
        validation::CheckVersion("activity", activity_id, activity->version, expected_version));
    activity->state = ActivityState::kCancelled;
    activity->cancel_reason = reason;
    activity->update_time = now;
    RETURN_IF_ERROR(activities_.SaveHeader(tx, *activity, 0));
    return activity_id;
  });
}

absl::StatusOr<Activity> ActivityService::Get(const call::CallContext& call, int64_t activity_id,
                                              int64_t version) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  if (version < 0) return status::InvalidField("version", "must be 0 or a positive version");
  return db::RunTransactionFor<Activity>(pool_, call.deadline,
                                         [&](db::Transaction& tx) -> absl::StatusOr<Activity> {
                                           return Load(tx, activity_id, version);
                                         });
}

absl::StatusOr<Activity> ActivityService::SignInSecret(const call::CallContext& call,
                                                       int64_t activity_id) const {
  ASSIGN_OR_RETURN(Activity activity, Get(call, activity_id, 0));
  if (activity.Finished()) return RefuseFinished(activity, "signing in");
  return activity;
}

absl::StatusOr<ActivityPage> ActivityService::List(const call::CallContext& call,
                                                   const ListActivitiesInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (input.organization_id < 0) errors.Add("organization_id", "must be 0 or a positive id");
  const bool days_known = input.from_day.has_value() && input.to_day.has_value() &&
                          input.from_day->year() >= 2000 && input.to_day->year() >= 2000 &&
                          input.from_day->year() <= 2100 && input.to_day->year() <= 2100;
  if (!input.from_day.has_value() || input.from_day->year() < 2000 ||
      input.from_day->year() > 2100) {
    errors.Add("from_date", "is required: a valid date from 2000 to 2100");
  }
  if (!input.to_day.has_value() || input.to_day->year() < 2000 || input.to_day->year() > 2100) {
    errors.Add("to_date", "is required: a valid date from 2000 to 2100");
  }
  if (days_known && *input.to_day < *input.from_day) {
    errors.Add("to_date", "must not be before from_date");
  } else if (days_known && *input.to_day - *input.from_day >= kMaxListDays) {
    errors.Add("to_date", "at most 366 days after from_date");
  }
  int64_t kind_mask = 0;
  for (size_t i = 0; i < input.kinds.size(); ++i) {
    if (!IsKnownActivityKind(static_cast<int>(input.kinds[i]))) {
      errors.Add(absl::StrCat("kinds[", i, "]"), "must be a known activity kind");
    } else {
      kind_mask |= int64_t{1} << static_cast<int>(input.kinds[i]);
    }
  }
  if (input.for_me && (input.organization_id != 0 || input.include_subtree)) {
    errors.Add("for_me",
               "lists the caller's own activities: leave organization_id and"
               " include_subtree unset");
  }
  if (input.for_me && call.caller.member_id <= 0) {
    errors.Add("for_me", "is for a member's own activities");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ActivityQuery query;
  query.organization_id =
      input.organization_id != 0 ? input.organization_id : call.caller.organization_id;
  query.include_subtree = input.include_subtree;
  if (input.for_me) query.targeting_member_id = call.caller.member_id;
  query.from = absl::FromCivil(*input.from_day, ChinaTimeZone());
  query.to = absl::FromCivil(*input.to_day + 1, ChinaTimeZone());
  query.kind_mask = kind_mask;
  query.limit = *page_size + 1;
  const uint64_t fingerprint = paging::StableHash(
      absl::StrCat(query.organization_id, "/", query.include_subtree, "/",
                   query.targeting_member_id, "/", absl::FormatCivilTime(*input.from_day), "/",
                   absl::FormatCivilTime(*input.to_day), "/", kind_mask));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(
        const paging::KeysetCursor cursor,
        paging::DecodeKeysetToken(kActivityPageKind, input.page_token, 2, fingerprint));
    query.after = ActivityCursor{absl::FromUnixMicros(cursor.keys[0]), cursor.keys[1]};
  }
  return db::RunTransactionFor<ActivityPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<ActivityPage> {
        ActivityPage page;
        ASSIGN_OR_RETURN(page.activities, activities_.List(tx, query));
        if (static_cast<int>(page.activities.size()) > *page_size) {
          page.activities.resize(*page_size);
          paging::KeysetCursor cursor;
          cursor.keys = {absl::ToUnixMicros(page.activities.back().content.start_time),
                         page.activities.back().id};
          cursor.filter_fingerprint = fingerprint;
          page.next_page_token = paging::EncodeKeysetToken(kActivityPageKind, cursor);
        }
        // The page's counts in two statements, not two per activity.
        std::vector<int64_t> ids;
        std::vector<int64_t> classes;
        for (const Activity& activity : page.activities) {
          ids.push_back(activity.id);
          if (activity.IsClass()) classes.push_back(activity.id);
        }
        ASSIGN_OR_RETURN(const auto counts, activities_.CountsOf(tx, ids));
        ASSIGN_OR_RETURN(const auto seats, seats_.CountsOf(tx, classes));
        for (Activity& activity : page.activities) {
          if (const auto found = counts.find(activity.id); found != counts.end()) {
            activity.attendee_count = found->second.present;
          }
          if (const auto found = seats.find(activity.id); found != seats.end()) {
            activity.seated_count = found->second.seated;
            activity.waiting_count = found->second.waiting;
          }
        }
        return page;
      });
}

}  // namespace lms::activity
