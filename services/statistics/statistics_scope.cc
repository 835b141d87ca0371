#include "services/statistics/statistics_scope.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::statistics {
namespace {

constexpr int kFirstYear = 2000;

// Whether the plan's organisation is the root, above it, or within its subtree.
constexpr char kRelated[] =
    "SELECT COUNT(*) FROM organization_closure WHERE (ancestor_id = ? AND descendant_id = ?)"
    " OR (ancestor_id = ? AND descendant_id = ?)";

}  // namespace

uint64_t PageFingerprint(const ResolvedScope& scope, absl::string_view extra) {
  return paging::StableHash(
      absl::StrCat(scope.root, "/", scope.period.year, "/", scope.period.plan_id, "/",
                   absl::FormatCivilTime(scope.day), "/",
                   absl::FormatTime(scope.received_by, absl::UTCTimeZone()), "/", extra));
}

absl::StatusOr<ResolvedScope> ScopeResolver::Resolve(db::Transaction& tx,
                                                     const ScopeRequest& request,
                                                     absl::Time now) const {
  const absl::CivilDay today = TodayInChina(now);
  status::FieldErrors errors;
  if (request.organization_id <= 0) errors.Add("scope.organization_id", "must be a positive id");
  if (request.year == 0 && request.plan_id == 0) {
    errors.Add("scope.period", "is required: a year or a plan_id");
  } else if (request.plan_id < 0) {
    errors.Add("scope.plan_id", "must be a positive id");
  } else if (request.plan_id == 0 &&
             (request.year < kFirstYear || request.year > static_cast<int>(today.year()))) {
    errors.Add("scope.year", absl::StrCat("must be ", kFirstYear, " to ", today.year(), " (got ",
                                          request.year, ")"));
  }
  if (request.as_of.has_value() && request.as_of->year() < kFirstYear) {
    errors.Add("scope.as_of", absl::StrCat("must be a valid date from ", kFirstYear));
  } else if (request.as_of.has_value() && *request.as_of > today) {
    errors.Add("scope.as_of", "must not be after today (China time)");
  }
  if (request.received_by == absl::InfinitePast()) {
    errors.Add("scope.received_by", "must be a valid time");
  } else if (request.received_by.has_value() && *request.received_by > now) {
    errors.Add("scope.received_by", "must not be in the future");
  }
  RETURN_IF_ERROR(errors.ToStatus());

  ResolvedScope scope;
  scope.root = request.organization_id;
  scope.period.year = request.year;
  if (request.plan_id != 0) {
    ASSIGN_OR_RETURN(const std::optional<enrollment::TrainingPlan> plan,
                     plans_.Find(tx, request.plan_id, false));
    if (!plan.has_value()) {
      return absl::NotFoundError(absl::StrCat("plan ", request.plan_id, " not found"));
    }
    if (plan->state != enrollment::PlanState::kPublished &&
        plan->state != enrollment::PlanState::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", request.plan_id, " is not published: it has no figures"));
    }
    int64_t related = 0;
    RETURN_IF_ERROR(tx.Query(kRelated,
                             {plan->organization_id, request.organization_id,
                              request.organization_id, plan->organization_id},
                             [&](const db::Row& row) { related = row.Int64(1); }));
    if (related == 0) {
      return status::InvalidField(
          "scope.plan_id", absl::StrCat("plan ", request.plan_id, " does not cover organisation ",
                                        request.organization_id, " or any organisation under it"));
    }
    scope.period = RecountPeriod{plan->year, plan->id};
  }
  const absl::CivilDay year_end(scope.period.year, 12, 31);
  scope.day = request.as_of.value_or(std::min(today, year_end));
  if (scope.day.year() < scope.period.year) {
    return status::InvalidField("scope.as_of",
                                absl::StrCat(absl::FormatCivilTime(scope.day),
                                             " is before the period's year ", scope.period.year));
  }
  scope.received_by = request.received_by.value_or(absl::InfiniteFuture());
  scope.stamp_received_by = request.received_by.value_or(now);
  scope.current = !request.received_by.has_value() && scope.day == today;
  return scope;
}

}  // namespace lms::statistics
