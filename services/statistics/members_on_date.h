#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

// A member as they stood on a day: where they belonged and what they were.
struct MemberOnDate {
  int64_t member_id = 0;
  int64_t organization_id = 0;
  // Bit (1 << lms.v1.MemberCategory) per category held that day.
  int64_t category_mask = 0;
  // When they joined the Party (a joiner may owe a pro-rata share of the year's hours).
  std::optional<absl::CivilDay> join_date;
};

// The members active on `day` (member_status_history) and assigned that day to any of
// `organizations` (a subtree as it stood then, TreeOnDate::Subtree), with the categories
// they held that day, by member id: one who left the Party or transferred out of the
// enterprise counts until the day before. Both
// histories keep inclusive last days (member_assignment, member_category_history): a
// member transferred on day T belongs to the new organisation from T and to the old one
// until T - 1.
[[nodiscard]] absl::StatusOr<std::vector<MemberOnDate>> MembersOnDate(
    db::Transaction& tx, const std::vector<int64_t>& organizations, absl::CivilDay day);

// Those of `member_ids` active on `day`, where they belonged and what they were then, by
// member id (those not active then are absent).
[[nodiscard]] absl::StatusOr<std::vector<MemberOnDate>> MembersByIdOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, absl::CivilDay day);

}  // namespace lms::statistics
