#include "services/identity/admin_grant_service.h"

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/request_checks.h"

namespace lms::identity {
namespace {

constexpr char kOrganizationClosed[] = "SELECT closed FROM organization WHERE id = ?";

absl::Status CheckGrant(const auth::Caller& caller, const AdminGrantRecord& grant) {
  status::FieldErrors errors;
  if (grant.member_id <= 0) errors.Add("member_id", "must be a positive id");
  if (grant.organization_id <= 0) errors.Add("organization_id", "must be a positive id");
  if (grant.role != auth::Role::kOrgAdmin && grant.role != auth::Role::kSystemAdmin) {
    errors.Add("role", "must be ROLE_ORG_ADMIN or ROLE_SYSTEM_ADMIN");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (grant.role == auth::Role::kSystemAdmin && caller.role != auth::Role::kSystemAdmin) {
    return absl::PermissionDeniedError("only a system admin may appoint or dismiss one");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AdminGrantRecord> AdminGrantService::Grant(const call::CallContext& call,
                                                          const AdminGrantRecord& grant) const {
  RETURN_IF_ERROR(CheckGrant(call.caller, grant));
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const std::optional<Account> account,
                     accounts_.FindById(tx, grant.member_id, false));
    if (!account.has_value()) {
      return absl::NotFoundError(absl::StrCat("member ", grant.member_id, " not found"));
    }
    if (!account->active) {
      return absl::FailedPreconditionError("only an active member can be an admin");
    }
    ASSIGN_OR_RETURN(const std::optional<int64_t> closed,
                     tx.QueryInt64(kOrganizationClosed, {grant.organization_id}));
    if (!closed.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("organisation ", grant.organization_id, " not found"));
    }
    if (*closed != 0) return absl::FailedPreconditionError("the organisation is closed");
    return accounts_.Grant(tx, grant.member_id, grant.role, grant.organization_id);
  }));
  return grant;
}

absl::Status AdminGrantService::Revoke(const call::CallContext& call,
                                       const AdminGrantRecord& grant) const {
  RETURN_IF_ERROR(CheckGrant(call.caller, grant));
  if (grant.member_id == call.caller.member_id && grant.role == call.caller.role &&
      grant.organization_id == call.caller.organization_id) {
    return absl::FailedPreconditionError("an admin cannot dismiss itself");
  }
  std::vector<int64_t> revoked;
  RETURN_IF_ERROR(call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(accounts_.Ungrant(tx, grant.member_id, grant.role, grant.organization_id));
    ASSIGN_OR_RETURN(revoked,
                     sessions_.RevokeRole(tx, grant.member_id, grant.role, grant.organization_id,
                                          "admin_dismissed", clock_.Now()));
    return absl::OkStatus();
  }));
  revocations_.Add(revoked, clock_.Now());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AdminGrantRecord>> AdminGrantService::List(const call::CallContext& call,
                                                                      int64_t member_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("member_id", member_id));
  ASSIGN_OR_RETURN(const auto grants,
                   (db::RunTransactionFor<std::vector<std::pair<auth::Role, int64_t>>>(
                       pool_, call.deadline,
                       [&](db::Transaction& tx) { return accounts_.Grants(tx, member_id); })));
  std::vector<AdminGrantRecord> records;
  for (const auto& [role, organization_id] : grants) {
    records.push_back({member_id, role, organization_id});
  }
  return records;
}

}  // namespace lms::identity
