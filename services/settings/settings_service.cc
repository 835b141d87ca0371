#include "services/settings/settings_service.h"

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"

namespace lms::settings {
namespace {

constexpr absl::string_view kListingKind = "setting";
constexpr char kOrganizationExists[] = "SELECT id FROM organization WHERE id = ?";

// NOT_FOUND unless the organisation exists (system admins' calls skip the scope check).
absl::Status CheckOrganization(db::Transaction& tx, int64_t organization_id) {
  ASSIGN_OR_RETURN(const std::optional<int64_t> found,
                   tx.QueryInt64(kOrganizationExists, {organization_id}));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("organisation ", organization_id, " not found"));
  }
  return absl::OkStatus();
}

constexpr char kParentOf[] = "SELECT COALESCE(parent_id, 0) FROM organization WHERE id = ?";

// A site-wide rule is set at the root only, so everyone is measured by it alike.
absl::Status CheckRoot(db::Transaction& tx, absl::string_view key, int64_t organization_id) {
  ASSIGN_OR_RETURN(const std::optional<int64_t> parent,
                   tx.QueryInt64(kParentOf, {organization_id}));
  if (parent.value_or(0) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(key, " is a site-wide rule: set it at the root organisation"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<EffectiveSetting>> SettingsService::Get(
    const call::CallContext& call, int64_t organization_id, const std::vector<std::string>& keys,
    std::optional<absl::CivilDay> day) const {
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  std::vector<std::string> wanted = keys;
  if (wanted.empty()) {
    for (const SettingDefinition& definition : AllSettingDefinitions()) {
      wanted.emplace_back(definition.key);
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (FindSettingDefinition(keys[i]) == nullptr) {
      errors.Add(absl::StrCat("keys[", i, "]"), "is not a setting");
    }
  }
  if (day.has_value() && (day->year() < 2000 || day->year() > 2100)) {
    errors.Add("as_of", "must be a real day between 2000 and 2100");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::CivilDay as_of = day.value_or(TodayInChina(clock_.Now()));
  return db::RunTransactionFor<std::vector<EffectiveSetting>>(
      pool_, call.deadline,
      [&](db::Transaction& tx) -> absl::StatusOr<std::vector<EffectiveSetting>> {
        RETURN_IF_ERROR(CheckOrganization(tx, organization_id));
        std::vector<EffectiveSetting> settings;
        for (const std::string& key : wanted) {
          ASSIGN_OR_RETURN(EffectiveSetting effective,
                           reader_.Get(tx, key, organization_id, as_of));
          settings.push_back(effective);
        }
        return settings;
      });
}

absl::StatusOr<SettingChangeRecord> SettingsService::Change(const call::CallContext& call,
                                                            const SettingChangeInput& input) const {
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = TodayInChina(now);
  const absl::CivilDay effective = input.effective_date.value_or(today);
  status::FieldErrors errors;
  if (input.organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  const SettingDefinition* definition = FindSettingDefinition(input.key);
  if (definition == nullptr) {
    errors.Add("key", "is not a setting");
  } else if (!input.clear &&
             (input.value < definition->min_value || input.value > definition->max_value)) {
    errors.Add("value",
               absl::StrCat("must be ", definition->min_value, " to ", definition->max_value));
  }
  if (effective < today - kMaxDaysBack || effective > today + kMaxDaysAhead) {
    errors.Add("effective_date", "must be within a year before and two years after today");
  }
  if (input.expected_version < 0) errors.Add("expected_version", "must not be negative");
  RETURN_IF_ERROR(errors.ToStatus());
  return call::RunIdempotentWrite<SettingChangeRecord>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        RETURN_IF_ERROR(CheckOrganization(tx, input.organization_id));
        if (definition->site_wide) RETURN_IF_ERROR(CheckRoot(tx, input.key, input.organization_id));
        ASSIGN_OR_RETURN(const int64_t latest,
                         changes_.LatestVersionForUpdate(tx, input.key, input.organization_id));
        RETURN_IF_ERROR(
            validation::CheckVersion(absl::StrCat("setting ", input.key, " at organisation"),
                                     input.organization_id, latest, input.expected_version));
        SettingChangeRecord change;
        change.key = input.key;
        change.organization_id = input.organization_id;
        change.version = latest + 1;
        if (!input.clear) change.value = input.value;
        change.cleared = input.clear;
        change.effective_from = effective;
        change.changed_by = call.caller.member_id;
        change.change_time = now;
        absl::StatusOr<int64_t> id = changes_.Insert(tx, change);
        // Two admins saving the first override at once both read version 0 (no row to
        // lock): the unique version key lets one through; the other's copy is stale.
        if (id.status().code() == absl::StatusCode::kAlreadyExists) {
          return absl::AbortedError(absl::StrCat("setting ", input.key, " at organisation ",
                                                 input.organization_id,
                                                 " was changed meanwhile: reload and retry"));
        }
        return id;
      },
      [&](db::Transaction& tx, int64_t id) { return changes_.Find(tx, id); });
}

absl::StatusOr<SettingChangePage> SettingsService::ListChanges(
    const call::CallContext& call, int64_t organization_id, const std::string& key, int page_size,
    const std::string& page_token) const {
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  if (FindSettingDefinition(key) == nullptr) errors.Add("key", "is not a setting");
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const int size, paging::PageSize(page_size));
  const uint64_t fingerprint =
      paging::StableHash(absl::StrCat(organization_id, "|", key, "|", size));
  int64_t before_id = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kListingKind, page_token, 1, fingerprint));
    before_id = cursor.keys[0];
  }
  ASSIGN_OR_RETURN(
      std::vector<SettingChangeRecord> changes,
      db::RunTransactionFor<std::vector<SettingChangeRecord>>(
          pool_, call.deadline,
          [&](db::Transaction& tx) -> absl::StatusOr<std::vector<SettingChangeRecord>> {
            RETURN_IF_ERROR(CheckOrganization(tx, organization_id));
            return changes_.List(tx, key, organization_id, before_id, size + 1);
          }));
  SettingChangePage page;
  if (changes.size() > static_cast<size_t>(size)) {
    changes.resize(size);
    page.next_page_token =
        paging::EncodeKeysetToken(kListingKind, {{changes.back().id}, fingerprint});
  }
  page.changes = std::move(changes);
  return page;
}

}  // namespace lms::settings
