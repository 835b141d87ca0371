#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/categories.h"

namespace lms::organization {

// Numbers equal lms.v1.OrganizationKind.
enum class OrganizationKind : int {
  kUnspecified = 0,
  kCommittee = 1,
  kGeneralBranch = 2,
  kBranch = 3,
  kGroup = 4
};

// Numbers equal lms.v1.MemberStatus.
enum class MemberStatus : int { kUnspecified = 0, kActive = 1, kTransferredOut = 2, kInactive = 3 };

// One organisation of the tree. As input to create/update only name, code, kind and
// parent count; the rest is the server's.
struct Organization {
  int64_t id = 0;
  // 0 for the root.
  int64_t parent_id = 0;
  std::string name;
  std::string code;
  OrganizationKind kind = OrganizationKind::kUnspecified;
  // Ids from the root down to this organisation (itself included).
  std::vector<int64_t> path;
  bool closed = false;
  int64_t version = 0;
  // Active members directly in it.
  int64_t member_count = 0;
};

// A Party member. As input to create/update the server's fields (id, version, activated,
// create_time) are ignored.
struct Member {
  int64_t id = 0;
  std::string name;
  std::string member_number;
  // Empty when unknown.
  std::string phone;
  int64_t organization_id = 0;
  std::vector<MemberCategory> categories;
  // The day joined the Party, if known.
  std::optional<absl::CivilDay> join_date;
  std::optional<absl::CivilDay> birth_date;
  MemberStatus status = MemberStatus::kUnspecified;
  int64_t version = 0;
  bool activated = false;
  absl::Time create_time = absl::InfinitePast();
};

}  // namespace lms::organization
