#include "services/organization/member_service.h"

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

constexpr absl::string_view kListingKind = "mem";
constexpr int64_t kBroadSubtreeShare = 50;

}  // namespace

template <typename Mutate>
absl::StatusOr<Member> MemberService::Write(const call::CallContext& call, Mutate&& mutate) const {
  return call::RunIdempotentWrite<Member>(
      pool_, call, clock_.Now(), mutate,
      [&](db::Transaction& tx, int64_t id) { return members_.Find(tx, id, false); });
}

absl::Status MemberService::CheckUnique(db::Transaction& tx, const Member& member,
                                        int64_t self_id) const {
  // Messages never name the other member: it may lie outside the caller's subtree.
  ASSIGN_OR_RETURN(const std::optional<Member> same_number,
                   members_.FindByNumber(tx, member.member_number));
  if (same_number.has_value() && same_number->id != self_id) {
    return absl::AlreadyExistsError(
        absl::StrCat("member.member_number ", member.member_number, " is taken by another member"));
  }
  // Members sign in with their number or their phone: one may not be the other's.
  ASSIGN_OR_RETURN(const std::optional<int64_t> number_as_phone,
                   members_.FindIdByPhone(tx, member.member_number));
  if (number_as_phone.has_value() && *number_as_phone != self_id) {
    return absl::AlreadyExistsError(
        "member.member_number is another member's phone number: a login must name one member");
  }
  if (!member.phone.empty()) {
    ASSIGN_OR_RETURN(const std::optional<int64_t> same_phone,
                     members_.FindIdByPhone(tx, member.phone));
    if (same_phone.has_value() && *same_phone != self_id) {
      return absl::AlreadyExistsError("member.phone is taken by another member");
    }
    ASSIGN_OR_RETURN(const std::optional<Member> phone_as_number,
                     members_.FindByNumber(tx, member.phone));
    if (phone_as_number.has_value() && phone_as_number->id != self_id) {
      return absl::AlreadyExistsError(
          "member.phone is another member's member number: a login must name one member");
    }
  }
  return absl::OkStatus();
}

absl::Status MemberService::CheckOpenOrganization(db::Transaction& tx,
                                                  int64_t organization_id) const {
  ASSIGN_OR_RETURN(const Organization organization,
                   organizations_.Find(tx, organization_id, false));
  if (organization.closed) {
    return absl::FailedPreconditionError(
        absl::StrCat("organisation ", organization_id, " is closed"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Member> MemberService::Create(const call::CallContext& call,
                                             const Member& draft) const {
  const absl::CivilDay today = TodayInChina(clock_.Now());
  status::FieldErrors errors;
  CheckMemberFields(errors, "member.", draft, today);
  if (draft.organization_id <= 0) errors.Add("member.organization_id", "must be a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  Member member = draft;
  if (member.status == MemberStatus::kUnspecified) member.status = MemberStatus::kActive;
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    RETURN_IF_ERROR(CheckOpenOrganization(tx, member.organization_id));
    RETURN_IF_ERROR(CheckUnique(tx, member, 0));
    return members_.Insert(tx, member, today, clock_.Now());
  });
}

absl::StatusOr<Member> MemberService::Update(const call::CallContext& call, const Member& edited,
                                             int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("member.id", edited.id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  std::vector<int64_t> ended_sessions;
  absl::StatusOr<Member> result = Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ended_sessions.clear();
    ASSIGN_OR_RETURN(const Member current, members_.Find(tx, edited.id, true));
    RETURN_IF_ERROR(CheckVersion("member", edited.id, current.version, expected_version));
    Member updated = edited;
    // The number identifies the member in files and at kiosks; the organisation
    // changes only by a transfer, which keeps history. Empty means "unchanged".
    status::FieldErrors errors;
    if (updated.member_number.empty()) updated.member_number = current.member_number;
    if (updated.member_number != current.member_number) {
      errors.Add("member.member_number", "cannot be changed");
    }
    if (updated.organization_id == 0) updated.organization_id = current.organization_id;
    if (updated.organization_id != current.organization_id) {
      errors.Add("member.organization_id", "changes only by TransferMember");
    }
    if (updated.status == MemberStatus::kUnspecified) updated.status = current.status;
    CheckMemberFields(errors, "member.", updated, TodayInChina(clock_.Now()));
    RETURN_IF_ERROR(errors.ToStatus());
    RETURN_IF_ERROR(CheckUnique(tx, updated, updated.id));
    RETURN_IF_ERROR(members_.Update(tx, updated, TodayInChina(clock_.Now()), clock_.Now()));
    // A member who leaves (transferred out, inactive) is signed out everywhere now,
    // not when the last access token expires.
    if (current.status == MemberStatus::kActive && updated.status != MemberStatus::kActive) {
      ASSIGN_OR_RETURN(ended_sessions,
                       sessions_.RevokeMember(tx, updated.id, 0, "member_inactive", clock_.Now()));
    }
    return updated.id;
  });
  if (result.ok()) revocations_.Add(ended_sessions, clock_.Now());
  return result;
}

absl::StatusOr<Member> MemberService::Transfer(const call::CallContext& call, int64_t member_id,
                                               int64_t target_organization_id,
                                               std::optional<absl::CivilDay> effective,
                                               int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("member_id", member_id));
  RETURN_IF_ERROR(CheckPositiveId("target_organization_id", target_organization_id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  const absl::CivilDay today = TodayInChina(clock_.Now());
  const absl::CivilDay day = effective.value_or(today);
  if (day > today) return status::InvalidField("effective_date", "may not be in the future");
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Member current, members_.Find(tx, member_id, true));
    RETURN_IF_ERROR(CheckVersion("member", member_id, current.version, expected_version));
    if (current.status != MemberStatus::kActive) {
      return absl::FailedPreconditionError("only an active member can transfer");
    }
    if (current.organization_id == target_organization_id) {
      return absl::FailedPreconditionError(absl::StrCat(
          "member ", member_id, " is already in organisation ", target_organization_id));
    }
    RETURN_IF_ERROR(CheckOpenOrganization(tx, target_organization_id));
    ASSIGN_OR_RETURN(const absl::CivilDay since, members_.CurrentAssignmentStart(tx, member_id));
    if (day < since) {
      return status::InvalidField(
          "effective_date", absl::StrCat("must not be before ", FormatDay(since),
                                         ", when the member joined the current organisation"));
    }
    RETURN_IF_ERROR(members_.Transfer(tx, member_id, target_organization_id, day, clock_.Now()));
    return member_id;
  });
}

absl::StatusOr<Member> MemberService::Get(const call::CallContext& call, int64_t id) const {
  RETURN_IF_ERROR(CheckPositiveId("member_id", id));
  return db::RunTransactionFor<Member>(
      pool_, call.deadline, [&](db::Transaction& tx) { return members_.Find(tx, id, false); });
}

absl::StatusOr<MemberPage> MemberService::List(const call::CallContext& call,
                                               const ListMembersInput& input) const {
  status::FieldErrors errors;
  if (input.organization_id < 0) errors.Add("organization_id", "must be a positive id or 0");
  validation::CheckText(errors, "query", input.query, 0, kMaxMemberSearchLength);
  if (input.category != 0 && !IsKnownMemberCategory(input.category)) {
    errors.Add("category", "must be a known member category");
  }
  if (input.status < 0 || input.status > 3) errors.Add("status", "must be a known member status");
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const int page_size, paging::PageSize(input.page_size));
  MemberQuery query;
  query.root_id = input.organization_id == 0 ? call.caller.organization_id : input.organization_id;
  query.text = input.query;
  query.category = static_cast<MemberCategory>(input.category);
  query.status = static_cast<MemberStatus>(input.status);
  query.limit = page_size + 1;
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(
      query.root_id, "|", input.query, "|", input.category, "|", input.status, "|", page_size));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kListingKind, input.page_token, 1, fingerprint));
    query.after_id = cursor.keys[0];
  }
  ASSIGN_OR_RETURN(
      std::vector<Member> members,
      db::RunTransactionFor<std::vector<Member>>(
          pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<std::vector<Member>> {
            // From one organisation in 50 up, walking members in id order reads fewer rows.
            MemberQuery planned = query;
            ASSIGN_OR_RETURN(planned.broad,
                             organizations_.IsBroadSubtree(tx, query.root_id, kBroadSubtreeShare));
            return members_.List(tx, planned);
          }));
  MemberPage page;
  if (members.size() > static_cast<size_t>(page_size)) {
    members.resize(page_size);
    page.next_page_token =
        paging::EncodeKeysetToken(kListingKind, {{members.back().id}, fingerprint});
  }
  page.members = std::move(members);
  return page;
}

}  // namespace lms::organization
