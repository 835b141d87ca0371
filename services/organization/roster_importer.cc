#include "services/organization/roster_importer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/auth/session_repository.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "services/organization/organization_validation.h"

namespace lms::organization {
namespace {

// What the import will do with one organisation row.
struct OrganizationPlan {
  const RosterOrganizationRow* row = nullptr;
  // 0 for a new organisation.
  int64_t existing_id = 0;
  bool changed = false;
  // The nearest organisation above it that exists already (scope is checked there).
  int64_t anchor_id = 0;
};

// What the import will do with one member row.
struct MemberPlan {
  const RosterMemberRow* row = nullptr;
  Member member;
  // Set for an existing member.
  std::optional<Member> current;
  bool changed = false;
  bool transfer = false;
};

// One import inside its transaction: plans every row, collecting errors, then writes.
class ImportRun {
 public:
  ImportRun(const RosterImport& import, const auth::Caller& caller, absl::CivilDay today,
            db::Transaction& tx, const auth::ScopeChecker& scope,
            const OrganizationRepository& organizations, const MemberRepository& members,
            const RosterRepository& roster)
      : import_(import),
        caller_(caller),
        today_(today),
        tx_(tx),
        scope_(scope),
        organizations_(organizations),
        members_(members),
        roster_(roster) {
    // The rows the intake refused are errors already; the ones it kept passed its checks.
    for (const RowError& error : import.errors) Fail(error.line, error.field, error.reason);
  }

  absl::Status Plan();
  absl::Status Write(absl::Time now);
  ImportOutcome& outcome() { return outcome_; }
  // Sessions of members the import made inactive (for the revocation list, after commit).
  const std::vector<int64_t>& ended_sessions() const { return ended_sessions_; }

 private:
  void Fail(int line, std::string field, std::string reason) {
    outcome_.errors.push_back({line, std::move(field), std::move(reason)});
    invalid_lines_.insert(line);
  }
  bool Valid(int line) const { return !invalid_lines_.contains(line); }
  absl::StatusOr<bool> InScope(int64_t organization_id);
  absl::Status PlanOrganizations();
  absl::Status PlanNewOrganizations(std::vector<const RosterOrganizationRow*> pending);
  absl::Status PlanMembers();
  absl::Status PlanMember(const RosterMemberRow& row,
                          const absl::flat_hash_map<std::string, Member>& existing,
                          const absl::flat_hash_map<std::string, int64_t>& phones,
                          const absl::flat_hash_map<std::string, int64_t>& numbers_as_phones,
                          const absl::flat_hash_map<std::string, Member>& phones_as_numbers);
  // The id to check scope at for a member's organisation code, or 0 when unresolvable.
  int64_t ScopeAnchor(const std::string& code) const;

  const RosterImport& import_;
  const auth::Caller& caller_;
  const absl::CivilDay today_;
  db::Transaction& tx_;
  const auth::ScopeChecker& scope_;
  const OrganizationRepository& organizations_;
  const MemberRepository& members_;
  const RosterRepository& roster_;
  const auth::SessionRepository sessions_{};

  ImportOutcome outcome_;
  std::vector<int64_t> ended_sessions_;
  absl::flat_hash_set<int> invalid_lines_;
  absl::flat_hash_map<std::string, KnownOrganization> known_;
  absl::flat_hash_map<int64_t, std::string> code_of_;
  absl::flat_hash_map<int64_t, bool> in_scope_;
  // Organisation rows in an order where every parent comes before its children.
  std::vector<OrganizationPlan> organization_plans_;
  absl::flat_hash_map<std::string, size_t> planned_by_code_;
  std::vector<MemberPlan> member_plans_;
};

absl::StatusOr<bool> ImportRun::InScope(int64_t organization_id) {
  const auto it = in_scope_.find(organization_id);
  if (it != in_scope_.end()) return it->second;
  const absl::Status status = scope_.CheckOrganization(tx_, caller_, organization_id);
  if (!status.ok() && status.code() != absl::StatusCode::kPermissionDenied) return status;
  in_scope_[organization_id] = status.ok();
  return status.ok();
}

absl::Status ImportRun::PlanOrganizations() {
  ASSIGN_OR_RETURN(const std::vector<KnownOrganization> all, roster_.AllOrganizations(tx_));
  for (const KnownOrganization& o : all) {
    code_of_[o.id] = o.code;
    known_.emplace(o.code, o);
  }
  std::vector<const RosterOrganizationRow*> pending;
  for (const RosterOrganizationRow& row : import_.organizations) {
    if (!Valid(row.line)) continue;
    const auto existing = known_.find(row.code);
    if (existing == known_.end()) {
      pending.push_back(&row);
      continue;
    }
    const KnownOrganization& o = existing->second;
    const std::string parent_code = o.parent_id == 0 ? "" : code_of_[o.parent_id];
    ASSIGN_OR_RETURN(const bool allowed, InScope(o.id));
    if (!allowed) {
      Fail(row.line, "organization.code", "is an organisation outside yours");
    } else if (parent_code != row.parent_code) {
      Fail(row.line, "organization.parent_code",
           absl::StrCat("the organisation exists under ",
                        parent_code.empty() ? "nothing" : parent_code,
                        ": move it with MoveOrganization"));
    } else {
      planned_by_code_[row.code] = organization_plans_.size();
      organization_plans_.push_back({&row, o.id, o.name != row.name || o.kind != row.kind, o.id});
    }
  }
  return PlanNewOrganizations(std::move(pending));
}

absl::Status ImportRun::PlanNewOrganizations(std::vector<const RosterOrganizationRow*> pending) {
  // Parents may be defined anywhere in the file: place rows whose parent is known until
  // a pass places none.
  bool progress = true;
  while (progress && !pending.empty()) {
    progress = false;
    std::vector<const RosterOrganizationRow*> still;
    for (const RosterOrganizationRow* row : pending) {
      int64_t anchor = 0;
      if (row->parent_code.empty()) {
        if (caller_.role != auth::Role::kSystemAdmin || !known_.empty()) {
          Fail(row->line, "organization.parent_code",
               "is required: the tree has a root, and only a system admin may create one");
          progress = true;
          continue;
        }
      } else if (const auto parent = known_.find(row->parent_code); parent != known_.end()) {
        if (parent->second.closed) {
          Fail(row->line, "organization.parent_code", "names a closed organisation");
          progress = true;
          continue;
        }
        anchor = parent->second.id;
      } else if (const auto planned = planned_by_code_.find(row->parent_code);
                 planned != planned_by_code_.end()) {
        anchor = organization_plans_[planned->second].anchor_id;
      } else {
        still.push_back(row);
        continue;
      }
      if (anchor != 0) {
        ASSIGN_OR_RETURN(const bool allowed, InScope(anchor));
        if (!allowed) {
          Fail(row->line, "organization.parent_code", "is outside your organisation");
          progress = true;
          continue;
        }
      }
      planned_by_code_[row->code] = organization_plans_.size();
      organization_plans_.push_back({row, 0, true, anchor});
      progress = true;
    }
    pending = std::move(still);
  }
  for (const RosterOrganizationRow* row : pending) {
    Fail(row->line, "organization.parent_code",
         "names no organisation in the store or among this file's valid rows");
  }
  return absl::OkStatus();
}

int64_t ImportRun::ScopeAnchor(const std::string& code) const {
  if (const auto planned = planned_by_code_.find(code); planned != planned_by_code_.end()) {
    return organization_plans_[planned->second].anchor_id;
  }
  if (const auto known = known_.find(code); known != known_.end()) return known->second.id;
  return 0;
}

absl::Status ImportRun::PlanMembers() {
  std::vector<std::string> numbers;
  std::vector<std::string> phones;
  for (const RosterMemberRow& row : import_.members) {
    if (!Valid(row.line)) continue;
    numbers.push_back(row.member.member_number);
    if (!row.member.phone.empty()) phones.push_back(row.member.phone);
  }
  ASSIGN_OR_RETURN(const auto existing, members_.FindByNumbers(tx_, numbers));
  ASSIGN_OR_RETURN(const auto phone_owners, roster_.MemberIdsByPhone(tx_, phones));
  // A login names one member: a number may not be someone else's phone, nor a phone
  // someone else's number.
  ASSIGN_OR_RETURN(const auto numbers_as_phones, roster_.MemberIdsByPhone(tx_, numbers));
  ASSIGN_OR_RETURN(const auto phones_as_numbers, members_.FindByNumbers(tx_, phones));
  for (const RosterMemberRow& row : import_.members) {
    if (Valid(row.line)) {
      RETURN_IF_ERROR(
          PlanMember(row, existing, phone_owners, numbers_as_phones, phones_as_numbers));
    }
  }
  return absl::OkStatus();
}

absl::Status ImportRun::PlanMember(
    const RosterMemberRow& row, const absl::flat_hash_map<std::string, Member>& existing,
    const absl::flat_hash_map<std::string, int64_t>& phones,
    const absl::flat_hash_map<std::string, int64_t>& numbers_as_phones,
    const absl::flat_hash_map<std::string, Member>& phones_as_numbers) {
  const int64_t anchor = ScopeAnchor(row.organization_code);
  const auto known = known_.find(row.organization_code);
  if (anchor == 0) {
    Fail(row.line, "member.organization_code",
         "names no organisation in the store or among this file's valid rows");
    return absl::OkStatus();
  }
  if (known != known_.end() && known->second.closed) {
    Fail(row.line, "member.organization_code", "names a closed organisation");
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const bool allowed, InScope(anchor));
  if (!allowed) {
    Fail(row.line, "member.organization_code", "is outside your organisation");
    return absl::OkStatus();
  }
  MemberPlan plan{&row, row.member, std::nullopt, true, false};
  // Rows name members by number: an id in the row is ignored (as the contract says), never
  // trusted — it would otherwise pass for the owner in the phone check below.
  plan.member.id = 0;
  const bool status_given = plan.member.status != MemberStatus::kUnspecified;
  if (!status_given) plan.member.status = MemberStatus::kActive;
  if (const auto current = existing.find(row.member.member_number); current != existing.end()) {
    const Member& m = current->second;
    // A file without a status keeps the one stored: it must not bring back members who left.
    if (!status_given) plan.member.status = m.status;
    ASSIGN_OR_RETURN(const bool member_allowed, InScope(m.organization_id));
    if (!member_allowed) {
      Fail(row.line, "member.member_number", "belongs to a member outside your organisation");
      return absl::OkStatus();
    }
    plan.current = m;
    plan.member.id = m.id;
    plan.transfer = code_of_[m.organization_id] != row.organization_code;
    plan.changed = plan.transfer || m.name != plan.member.name || m.phone != plan.member.phone ||
                   MemberCategoryMask(m.categories) != MemberCategoryMask(plan.member.categories) ||
                   m.join_date != plan.member.join_date || m.birth_date != plan.member.birth_date ||
                   m.status != plan.member.status;
    if (plan.changed) {
      // The same rule as every other write on a member (ScopeChecker::HoldMember).
      const absl::Status may_change = scope_.HoldMember(tx_, caller_, m.id);
      if (may_change.code() == absl::StatusCode::kPermissionDenied) {
        Fail(row.line, "member.member_number",
             "belongs to a member holding an admin grant beyond your organisation");
        return absl::OkStatus();
      }
      RETURN_IF_ERROR(may_change);
    }
  }
  if (const auto owner = phones.find(row.member.phone);
      owner != phones.end() && owner->second != plan.member.id) {
    // Never the owner's id: it may lie outside the importing admin's subtree.
    Fail(row.line, "member.phone", "is taken by another member");
    return absl::OkStatus();
  }
  if (const auto owner = numbers_as_phones.find(row.member.member_number);
      owner != numbers_as_phones.end() && owner->second != plan.member.id) {
    Fail(row.line, "member.member_number", "is another member's phone");
    return absl::OkStatus();
  }
  if (const auto owner = phones_as_numbers.find(row.member.phone);
      owner != phones_as_numbers.end() && owner->second.id != plan.member.id) {
    Fail(row.line, "member.phone", "is another member's member number");
    return absl::OkStatus();
  }
  member_plans_.push_back(std::move(plan));
  return absl::OkStatus();
}

absl::Status ImportRun::Plan() {
  RETURN_IF_ERROR(PlanOrganizations());
  RETURN_IF_ERROR(PlanMembers());
  std::sort(outcome_.errors.begin(), outcome_.errors.end(),
            [](const RowError& a, const RowError& b) { return a.line < b.line; });
  for (const OrganizationPlan& plan : organization_plans_) {
    if (plan.existing_id == 0) {
      ++outcome_.organizations_created;
    } else if (plan.changed) {
      ++outcome_.organizations_updated;
    } else {
      ++outcome_.unchanged;
    }
  }
  for (const MemberPlan& plan : member_plans_) {
    if (!plan.current.has_value()) {
      ++outcome_.members_created;
    } else if (plan.changed) {
      ++outcome_.members_updated;
    } else {
      ++outcome_.unchanged;
    }
  }
  return absl::OkStatus();
}

absl::Status ImportRun::Write(absl::Time now) {
  absl::flat_hash_map<std::string, int64_t> id_of;
  for (const auto& [code, known] : known_) id_of[code] = known.id;
  for (const OrganizationPlan& plan : organization_plans_) {
    Organization organization;
    organization.id = plan.existing_id;
    organization.name = plan.row->name;
    organization.code = plan.row->code;
    organization.kind = plan.row->kind;
    organization.parent_id = plan.row->parent_code.empty() ? 0 : id_of[plan.row->parent_code];
    if (plan.existing_id == 0) {
      ASSIGN_OR_RETURN(id_of[plan.row->code],
                       organizations_.Insert(tx_, organization, caller_.member_id, now));
    } else if (plan.changed) {
      RETURN_IF_ERROR(organizations_.Update(tx_, organization, now));
    }
  }
  std::vector<Member> created;
  for (MemberPlan& plan : member_plans_) {
    plan.member.organization_id = id_of[plan.row->organization_code];
    if (!plan.current.has_value()) {
      created.push_back(plan.member);
    } else if (plan.changed) {
      plan.member.member_number = plan.current->member_number;
      RETURN_IF_ERROR(members_.Update(tx_, plan.member, today_, now));
      if (plan.current->status == MemberStatus::kActive &&
          plan.member.status != MemberStatus::kActive) {
        ASSIGN_OR_RETURN(const std::vector<int64_t> ended,
                         sessions_.RevokeMember(tx_, plan.member.id, 0, "member_inactive", now));
        ended_sessions_.insert(ended_sessions_.end(), ended.begin(), ended.end());
      }
      if (plan.transfer) {
        RETURN_IF_ERROR(
            members_.Transfer(tx_, plan.member.id, plan.member.organization_id, today_, now));
      }
    }
  }
  return roster_.InsertMembers(tx_, created, today_, now);
}

}  // namespace

absl::CivilDay RosterImporter::Today() const { return TodayInChina(clock_.Now()); }

absl::StatusOr<ImportOutcome> RosterImporter::Import(const call::CallContext& call,
                                                     const RosterImport& import) const {
  // The intake bounds the rows it sees; this guards callers that build an import
  // themselves (a row may carry several errors, so errors are not rows).
  if (import.organizations.size() + import.members.size() > kMaxImportRows) {
    return status::InvalidField("rows", absl::StrCat("at most ", kMaxImportRows, " per import"));
  }
  const absl::Time now = clock_.Now();
  ImportOutcome outcome;
  std::vector<int64_t> ended_sessions;
  const absl::Status status = call::RunWrite(pool_, call, [&](db::Transaction& tx) -> absl::Status {
    ImportRun run(import, call.caller, TodayInChina(now), tx, scope_, organizations_, members_,
                  roster_);
    RETURN_IF_ERROR(run.Plan());
    outcome = std::move(run.outcome());
    const bool blocked = !outcome.errors.empty() && !import.valid_rows_only;
    if (blocked || import.dry_run) {
      if (blocked) {
        outcome.organizations_created = outcome.organizations_updated = 0;
        outcome.members_created = outcome.members_updated = outcome.unchanged = 0;
      }
      // Nothing to write: an error status rolls the transaction back.
      return absl::CancelledError("no write");
    }
    RETURN_IF_ERROR(run.Write(now));
    ended_sessions = run.ended_sessions();
    return absl::OkStatus();
  });
  if (!status.ok() && status.code() != absl::StatusCode::kCancelled) return status;
  revocations_.Add(ended_sessions, now);
  return outcome;
}

}  // namespace lms::organization
