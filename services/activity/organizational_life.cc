#include "services/activity/organizational_life.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::activity {
namespace {

constexpr char kPageKind[] = "organizational_life";
constexpr int kMaxDays = 366;

// The report's order: largest shortfall first, then organisation id.
bool Before(const OrganizationLife& a, const OrganizationLife& b) {
  return std::make_tuple(-a.shortfall, a.organization.id) <
         std::make_tuple(-b.shortfall, b.organization.id);
}

}  // namespace

absl::StatusOr<OrganizationalLifePage> OrganizationalLifeReport::List(
    const call::CallContext& call, const OrganizationalLifeInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (input.organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  const auto valid = [](const std::optional<absl::CivilDay>& day) {
    return day.has_value() && day->year() >= 2000 && day->year() <= 2100;
  };
  if (!valid(input.from_day)) errors.Add("from_date", "is required: a valid date, 2000 to 2100");
  if (!valid(input.to_day)) errors.Add("to_date", "is required: a valid date, 2000 to 2100");
  if (valid(input.from_day) && valid(input.to_day)) {
    if (*input.to_day < *input.from_day) {
      errors.Add("to_date", "must not be before from_date");
    } else if (*input.to_day - *input.from_day >= kMaxDays) {
      errors.Add("to_date", "at most 366 days after from_date");
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::CivilDay from = *input.from_day;
  const absl::CivilDay to = *input.to_day;
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(
      input.organization_id, "/", absl::FormatCivilTime(from), "/", absl::FormatCivilTime(to)));
  std::optional<std::pair<int64_t, int64_t>> after;
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kPageKind, input.page_token, 2, fingerprint));
    after = {cursor.keys[0], cursor.keys[1]};
  }
  const absl::Time from_time = absl::FromCivil(from, ChinaTimeZone());
  // Held means started: the period's future part holds nothing yet.
  const absl::Time to_time = std::min(absl::FromCivil(to + 1, ChinaTimeZone()), now);
  return db::RunTransactionFor<OrganizationalLifePage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<OrganizationalLifePage> {
        ASSIGN_OR_RETURN(const std::vector<OwingOrganization> organizations,
                         activities_.OwingOrganizations(tx, input.organization_id));
        ASSIGN_OR_RETURN(
            const settings::SubtreeSettings cadences,
            settings_.ForSubtree(tx, AllCadenceKeys(), input.organization_id, std::min(to, today)));
        std::map<std::pair<int64_t, int>, int> held;
        if (from_time < to_time) {
          ASSIGN_OR_RETURN(const auto counts,
                           activities_.HeldCounts(tx, input.organization_id, from_time, to_time));
          for (const auto& [key, count] : counts) held[key] = count;
        }
        std::vector<OrganizationLife> all;
        for (const OwingOrganization& organization : organizations) {
          OrganizationLife life;
          life.organization = organization;
          for (const CadenceRule& rule : CadenceRulesFor(organization.kind)) {
            const int per_year =
                static_cast<int>(cadences.Get(organization.id, rule.setting_key).value);
            if (per_year <= 0) continue;
            CadenceStatus status;
            status.kind = rule.kind;
            status.per_year = per_year;
            status.due = DueIn(per_year, from, to, today);
            const auto found = held.find({organization.id, static_cast<int>(rule.kind)});
            status.held = found == held.end() ? 0 : found->second;
            if (status.behind()) {
              ++life.kinds_behind;
              life.shortfall += status.due.due - status.held;
            }
            life.cadences.push_back(status);
          }
          if (life.cadences.empty()) continue;
          all.push_back(std::move(life));
        }
        std::sort(all.begin(), all.end(), Before);
        OrganizationalLifePage page;
        for (OrganizationLife& life : all) {
          if (after.has_value() &&
              std::make_pair(int64_t{-life.shortfall}, life.organization.id) <= *after) {
            continue;
          }
          if (static_cast<int>(page.organizations.size()) == *page_size) {
            const OrganizationLife& last = page.organizations.back();
            paging::KeysetCursor cursor;
            cursor.keys = {-last.shortfall, last.organization.id};
            cursor.filter_fingerprint = fingerprint;
            page.next_page_token = paging::EncodeKeysetToken(kPageKind, cursor);
            break;
          }
          page.organizations.push_back(std::move(life));
        }
        std::vector<int64_t> ids;
        std::map<int64_t, OrganizationLife*> by_id;
        for (OrganizationLife& life : page.organizations) {
          ids.push_back(life.organization.id);
          by_id[life.organization.id] = &life;
        }
        if (from_time >= to_time) return page;
        ASSIGN_OR_RETURN(const std::vector<HeldActivityRow> rows,
                         activities_.HeldActivities(tx, ids, from_time, to_time));
        for (const HeldActivityRow& row : rows) {
          HeldActivity activity{row, row.targeted};
          if (row.targeted < 0) {
            // Not closed yet: counted as of now.
            ASSIGN_OR_RETURN(const std::optional<Activity> full,
                             activities_.Find(tx, row.id, ActivityRepository::Lock::kNone));
            if (full.has_value()) {
              ASSIGN_OR_RETURN(activity.targeted, activities_.CountTargeted(tx, *full));
            }
          }
          by_id[row.organization_id]->activities.push_back(activity);
        }
        return page;
      });
}

}  // namespace lms::activity
