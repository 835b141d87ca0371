#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/outbox.h"
#include "services/organization/category_history_repository.h"
#include "services/organization/organization.h"
#include "services/organization/status_history_repository.h"

namespace lms::organization {

// Which members of a subtree to list, and where the page starts (keyset on id).
struct MemberQuery {
  int64_t root_id = 0;
  // Matches a name containing it, or a member number or phone starting with it.
  std::string text;
  MemberCategory category = MemberCategory::kUnspecified;
  MemberStatus status = MemberStatus::kUnspecified;
  int64_t after_id = 0;
  int limit = 20;
  // The subtree holds a large share of all members: walk members in id order instead of
  // the subtree's organisations (see member_repository.cc).
  bool broad = false;
};

// SQL for member, member_assignment (the history of which organisation a member was in,
// by day) and, through CategoryHistoryRepository, the history of their categories; every
// change other services react to (joining, categories or status, transfers) writes its
// outbox event in the same transaction. Stateless and thread-safe; every method runs
// inside the caller's transaction.
class MemberRepository {
 public:
  // Inserts the member and opens its first assignment and its categories on `since`.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Member& member,
                                               absl::CivilDay since, absl::Time now) const;
  // Replaces name, phone, categories, join date and status; bumps the version. Changed
  // categories change from `today` in their history.
  [[nodiscard]] absl::Status Update(db::Transaction& tx, const Member& member, absl::CivilDay today,
                                    absl::Time now) const;
  // Moves the member to `organization_id` from `effective` on: closes the open
  // assignment the day before and opens a new one (or, when `effective` is the day the
  // open one began, re-points it); bumps the version.
  [[nodiscard]] absl::Status Transfer(db::Transaction& tx, int64_t member_id,
                                      int64_t organization_id, absl::CivilDay effective,
                                      absl::Time now) const;
  // The day the member's current assignment began.
  [[nodiscard]] absl::StatusOr<absl::CivilDay> CurrentAssignmentStart(db::Transaction& tx,
                                                                      int64_t member_id) const;
  // The categories' history (this repository keeps it in step with category_mask).
  const CategoryHistoryRepository& categories() const { return categories_; }

  // NOT_FOUND if absent; locks the row when `for_update`.
  [[nodiscard]] absl::StatusOr<Member> Find(db::Transaction& tx, int64_t id, bool for_update) const;
  [[nodiscard]] absl::StatusOr<std::optional<Member>> FindByNumber(
      db::Transaction& tx, const std::string& member_number) const;
  // Existing members by number, for the numbers given (bulk imports).
  [[nodiscard]] absl::StatusOr<absl::flat_hash_map<std::string, Member>> FindByNumbers(
      db::Transaction& tx, const std::vector<std::string>& numbers) const;
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> FindIdByPhone(
      db::Transaction& tx, const std::string& phone) const;
  // Active members directly in the organisation.
  [[nodiscard]] absl::StatusOr<int64_t> CountActive(db::Transaction& tx,
                                                    int64_t organization_id) const;
  [[nodiscard]] absl::StatusOr<std::vector<Member>> List(db::Transaction& tx,
                                                         const MemberQuery& query) const;

 private:
  const CategoryHistoryRepository categories_{};
  const StatusHistoryRepository statuses_{};
  const outbox::OutboxWriter outbox_{};
};

// A member from a row of the repository's member columns.
[[nodiscard]] Member MemberFromRow(const db::Row& row);

// "2026-11-25" for a day; days outside 1000-9999 never reach the store.
[[nodiscard]] std::string FormatDay(absl::CivilDay day);

}  // namespace lms::organization
