#include "services/organization/organization_service.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/organization/organization_validation.h"

namespace lms::organization {
namespace {

using validation::CheckExpectedVersion;
using validation::CheckPositiveId;
using validation::CheckVersion;

constexpr absl::string_view kListingKind = "org";

absl::Status CheckNotOwnRoot(const auth::Caller& caller, int64_t id, absl::string_view action) {
  // An organisation admin manages below its root, not the root itself: moving or closing
  // it would change what the admin was granted.
  if (caller.role == auth::Role::kOrgAdmin && caller.organization_id == id) {
    return absl::PermissionDeniedError(
        absl::StrCat("an organisation admin cannot ", action, " its own organisation"));
  }
  return absl::OkStatus();
}

}  // namespace

template <typename Mutate>
absl::StatusOr<Organization> OrganizationService::Write(const call::CallContext& call,
                                                        Mutate&& mutate) const {
  return call::RunIdempotentWrite<Organization>(
      pool_, call, clock_.Now(), mutate,
      [&](db::Transaction& tx, int64_t id) { return organizations_.Find(tx, id, false); });
}

absl::StatusOr<Organization> OrganizationService::Create(const call::CallContext& call,
                                                         const Organization& draft) const {
  status::FieldErrors errors;
  CheckOrganizationFields(errors, "organization.", draft);
  if (draft.parent_id < 0) errors.Add("organization.parent_id", "must be a positive id or 0");
  RETURN_IF_ERROR(errors.ToStatus());
  if (draft.parent_id == 0 && call.caller.role != auth::Role::kSystemAdmin) {
    return absl::PermissionDeniedError("only a system admin may create a root organisation");
  }
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    if (draft.parent_id == 0) {
      // One tree per enterprise: a second root would be invisible to every
      // admin of the first.
      ASSIGN_OR_RETURN(const bool has_root, organizations_.HasRoot(tx));
      if (has_root) {
        return absl::FailedPreconditionError("the tree already has a root: name a parent_id");
      }
    } else {
      ASSIGN_OR_RETURN(const Organization parent, organizations_.Find(tx, draft.parent_id, true));
      if (parent.closed) {
        return absl::FailedPreconditionError(
            absl::StrCat("organisation ", parent.id, " is closed"));
      }
    }
    ASSIGN_OR_RETURN(const std::optional<Organization> taken,
                     organizations_.FindByCode(tx, draft.code));
    if (taken.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("organization.code ", draft.code, " is taken by organisation ", taken->id));
    }
    return organizations_.Insert(tx, draft, call.caller.member_id, clock_.Now());
  });
}

absl::StatusOr<Organization> OrganizationService::Update(const call::CallContext& call,
                                                         const Organization& edited,
                                                         int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("organization.id", edited.id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  status::FieldErrors errors;
  CheckOrganizationFields(errors, "organization.", edited);
  RETURN_IF_ERROR(errors.ToStatus());
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Organization current, organizations_.Find(tx, edited.id, true));
    RETURN_IF_ERROR(CheckVersion("organisation", edited.id, current.version, expected_version));
    ASSIGN_OR_RETURN(const std::optional<Organization> taken,
                     organizations_.FindByCode(tx, edited.code));
    if (taken.has_value() && taken->id != edited.id) {
      return absl::AlreadyExistsError(
          absl::StrCat("organization.code ", edited.code, " is taken by organisation ", taken->id));
    }
    RETURN_IF_ERROR(organizations_.Update(tx, edited, clock_.Now()));
    return edited.id;
  });
}

absl::StatusOr<Organization> OrganizationService::Move(const call::CallContext& call, int64_t id,
                                                       int64_t new_parent_id,
                                                       int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("organization_id", id));
  RETURN_IF_ERROR(CheckPositiveId("new_parent_id", new_parent_id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  RETURN_IF_ERROR(CheckNotOwnRoot(call.caller, id, "move"));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Organization moved, organizations_.Find(tx, id, true));
    RETURN_IF_ERROR(CheckVersion("organisation", id, moved.version, expected_version));
    if (moved.parent_id == 0) {
      return absl::FailedPreconditionError("the root organisation cannot be moved");
    }
    ASSIGN_OR_RETURN(const Organization parent, organizations_.Find(tx, new_parent_id, true));
    if (parent.closed) {
      return absl::FailedPreconditionError(
          absl::StrCat("organisation ", new_parent_id, " is closed"));
    }
    ASSIGN_OR_RETURN(const bool cycle, organizations_.IsWithin(tx, new_parent_id, id));
    if (cycle) {
      return absl::FailedPreconditionError(
          "an organisation cannot move under itself or its own subtree");
    }
    if (moved.parent_id != new_parent_id) {
      RETURN_IF_ERROR(organizations_.Move(tx, id, moved.parent_id, new_parent_id,
                                          call.caller.member_id, clock_.Now()));
    }
    return id;
  });
}

absl::StatusOr<Organization> OrganizationService::Close(const call::CallContext& call, int64_t id,
                                                        int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("organization_id", id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  RETURN_IF_ERROR(CheckNotOwnRoot(call.caller, id, "close"));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Organization current, organizations_.Find(tx, id, true));
    RETURN_IF_ERROR(CheckVersion("organisation", id, current.version, expected_version));
    if (current.closed) {
      return absl::FailedPreconditionError(absl::StrCat("organisation ", id, " is already closed"));
    }
    ASSIGN_OR_RETURN(const int64_t children, organizations_.CountOpenChildren(tx, id));
    ASSIGN_OR_RETURN(const int64_t kiosks, organizations_.CountActiveKiosks(tx, id));
    if (children > 0 || current.member_count > 0 || kiosks > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("organisation ", id, " still has ", children, " open organisations, ",
                       current.member_count, " active members and ", kiosks,
                       " kiosks: move, close or revoke them first"));
    }
    RETURN_IF_ERROR(organizations_.Close(tx, id, clock_.Now()));
    return id;
  });
}

absl::StatusOr<Organization> OrganizationService::Get(const call::CallContext& call,
                                                      int64_t id) const {
  RETURN_IF_ERROR(CheckPositiveId("organization_id", id));
  return db::RunTransactionFor<Organization>(pool_, call.deadline, [&](db::Transaction& tx) {
    return organizations_.Find(tx, id, false);
  });
}

absl::StatusOr<OrganizationPage> OrganizationService::FindByCode(const call::CallContext& call,
                                                                 int64_t root,
                                                                 const std::string& code,
                                                                 bool include_closed) const {
  if (code.size() > 32) return status::InvalidField("code", "is at most 32 characters");
  return db::RunTransactionFor<OrganizationPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<OrganizationPage> {
        RETURN_IF_ERROR(organizations_.Find(tx, root, false).status());
        OrganizationPage page;
        ASSIGN_OR_RETURN(std::optional<Organization> found, organizations_.FindByCode(tx, code));
        if (!found.has_value() || (found->closed && !include_closed)) return page;
        ASSIGN_OR_RETURN(const bool within, organizations_.IsWithin(tx, found->id, root));
        if (within) page.organizations.push_back(*std::move(found));
        return page;
      });
}

absl::StatusOr<OrganizationPage> OrganizationService::List(
    const call::CallContext& call, const ListOrganizationsInput& input) const {
  if (input.parent_id < 0) return status::InvalidField("parent_id", "must be a positive id or 0");
  ASSIGN_OR_RETURN(const int page_size, paging::PageSize(input.page_size));
  OrganizationQuery query;
  query.root_id = input.parent_id == 0 ? call.caller.organization_id : input.parent_id;
  if (!input.code.empty()) return FindByCode(call, query.root_id, input.code, input.include_closed);
  query.recursive = input.recursive;
  query.include_closed = input.include_closed;
  query.limit = page_size + 1;
  // Subtree listings start below the root: depth 1 onwards.
  query.after_depth = input.recursive ? 1 : 0;
  const uint64_t fingerprint = paging::StableHash(
      absl::StrCat(query.root_id, "|", input.recursive, "|", input.include_closed, "|", page_size));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kListingKind, input.page_token, 2, fingerprint));
    query.after_depth = cursor.keys[0];
    query.after_id = cursor.keys[1];
  }
  ASSIGN_OR_RETURN(std::vector<OrganizationRow> rows,
                   db::RunTransactionFor<std::vector<OrganizationRow>>(
                       pool_, call.deadline,
                       [&](db::Transaction& tx) -> absl::StatusOr<std::vector<OrganizationRow>> {
                         // The root itself must exist (0 = the caller's root may not).
                         RETURN_IF_ERROR(organizations_.Find(tx, query.root_id, false).status());
                         return organizations_.List(tx, query);
                       }));
  OrganizationPage page;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    const OrganizationRow& last = rows.back();
    page.next_page_token = paging::EncodeKeysetToken(
        kListingKind, {{input.recursive ? last.depth : 0, last.organization.id}, fingerprint});
  }
  for (OrganizationRow& row : rows) page.organizations.push_back(std::move(row.organization));
  return page;
}

}  // namespace lms::organization
