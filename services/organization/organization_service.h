#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/organization/organization.h"
#include "services/organization/organization_repository.h"

namespace lms::organization {

struct ListOrganizationsInput {
  int64_t parent_id = 0;
  bool recursive = false;
  bool include_closed = false;
  int page_size = 0;
  std::string page_token;
  // Only the organisation with this code, if it is the root or within its subtree.
  std::string code;
};

struct OrganizationPage {
  std::vector<Organization> organizations;
  std::string next_page_token;
};

// The organisation tree's rules: creating, renaming, moving subtrees (never under
// themselves, history kept), closing only empty organisations, listing a subtree.
// Which organisations a caller may name at all is checked before these run (the
// policies' organization_fields, ScopeChecker); the rules here are the ones that need
// the object's state. Knows neither protos nor SQL. Thread-safe.
class OrganizationService {
 public:
  OrganizationService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  [[nodiscard]] absl::StatusOr<Organization> Create(const call::CallContext& call,
                                                    const Organization& draft) const;
  [[nodiscard]] absl::StatusOr<Organization> Update(const call::CallContext& call,
                                                    const Organization& edited,
                                                    int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Organization> Move(const call::CallContext& call, int64_t id,
                                                  int64_t new_parent_id,
                                                  int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Organization> Close(const call::CallContext& call, int64_t id,
                                                   int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Organization> Get(const call::CallContext& call, int64_t id) const;
  [[nodiscard]] absl::StatusOr<OrganizationPage> List(const call::CallContext& call,
                                                      const ListOrganizationsInput& input) const;
  // List's answer for a code: the organisation alone when within `root`'s subtree.
  [[nodiscard]] absl::StatusOr<OrganizationPage> FindByCode(const call::CallContext& call,
                                                            int64_t root, const std::string& code,
                                                            bool include_closed) const;

 private:
  template <typename Mutate>
  absl::StatusOr<Organization> Write(const call::CallContext& call, Mutate&& mutate) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const OrganizationRepository organizations_{};
};

}  // namespace lms::organization
