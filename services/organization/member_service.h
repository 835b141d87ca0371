#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/auth/session_repository.h"
#include "common/auth/session_revocations.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/organization/member_repository.h"
#include "services/organization/organization.h"
#include "services/organization/organization_repository.h"

namespace lms::organization {

struct ListMembersInput {
  int64_t organization_id = 0;
  std::string query;
  int category = 0;
  int status = 0;
  int page_size = 0;
  std::string page_token;
};

struct MemberPage {
  std::vector<Member> members;
  std::string next_page_token;
};

// Members' rules: unique member numbers and phones, membership only in open
// organisations, transfers that keep the history of where a member was and from when, and
// a member who stops being active loses every session at once.
// Subtree scope is checked before these run (the policies' fields, ScopeChecker).
// Knows neither protos nor SQL. Thread-safe.
class MemberService {
 public:
  MemberService(db::ConnectionPool& pool, const Clock& clock, auth::SessionRevocations& revocations)
      : pool_(pool), clock_(clock), revocations_(revocations) {}

  [[nodiscard]] absl::StatusOr<Member> Create(const call::CallContext& call,
                                              const Member& draft) const;
  [[nodiscard]] absl::StatusOr<Member> Update(const call::CallContext& call, const Member& edited,
                                              int64_t expected_version) const;
  // `effective` defaults to today (China time); it may not lie in the future or before
  // the member's current assignment began.
  [[nodiscard]] absl::StatusOr<Member> Transfer(const call::CallContext& call, int64_t member_id,
                                                int64_t target_organization_id,
                                                std::optional<absl::CivilDay> effective,
                                                int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Member> Get(const call::CallContext& call, int64_t id) const;
  [[nodiscard]] absl::StatusOr<MemberPage> List(const call::CallContext& call,
                                                const ListMembersInput& input) const;

  // Inside a caller's transaction (bulk import): ALREADY_EXISTS naming the field when the
  // member number or phone belongs to another member than `self_id`.
  [[nodiscard]] absl::Status CheckUnique(db::Transaction& tx, const Member& member,
                                         int64_t self_id) const;
  // FAILED_PRECONDITION when the organisation is closed; NOT_FOUND when absent.
  [[nodiscard]] absl::Status CheckOpenOrganization(db::Transaction& tx,
                                                   int64_t organization_id) const;

 private:
  template <typename Mutate>
  absl::StatusOr<Member> Write(const call::CallContext& call, Mutate&& mutate) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  auth::SessionRevocations& revocations_;
  const auth::SessionRepository sessions_{};
  const MemberRepository members_{};
  const OrganizationRepository organizations_{};
};

}  // namespace lms::organization
