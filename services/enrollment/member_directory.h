#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"
#include "services/enrollment/plan_requirements.h"

namespace lms::enrollment {

// A member as enrolment sees one: where they are, what they are, whether they count.
struct Enrollee {
  int64_t id = 0;
  std::string member_number;
  int64_t organization_id = 0;
  int64_t category_mask = 0;
  // lms.v1.MemberStatus: 1 active.
  int status = 0;
  // The day they joined the Party (入党日期), for pro-rata hours.
  std::optional<absl::CivilDay> join_date;
  [[nodiscard]] bool active() const { return status == 1; }
};

// Enrolment's read-only view of the organisation service's members and tree, in the
// caller's transaction (one store; the organisation service owns these tables and
// announces changes through the outbox). Stateless; thread-safe.
class MemberDirectory {
 public:
  // The members with these ids (those that exist), in id order.
  [[nodiscard]] absl::StatusOr<std::vector<Enrollee>> FindMany(
      db::Transaction& tx, const std::vector<int64_t>& member_ids) const;
  // A member with the hours each published plan of `year` covering them sets per
  // category, in one round trip ("my learning" asks for both on every call).
  struct WithCoveringHours {
    Enrollee member;
    std::vector<PlanRequirements> plans;
  };
  [[nodiscard]] absl::StatusOr<std::optional<WithCoveringHours>> FindWithCoveringHours(
      db::Transaction& tx, int64_t member_id, int year) const;
  // Up to `limit` active members of `organization_id`'s subtree with ids above `after_id`,
  // in id order: walks the member table's primary key from the cursor and checks each
  // member's organisation against the closure's primary key, so a batch costs its own
  // rows, not the subtree's.
  [[nodiscard]] absl::StatusOr<std::vector<Enrollee>> ActiveBatch(db::Transaction& tx,
                                                                  int64_t organization_id,
                                                                  int64_t after_id,
                                                                  int limit) const;
  [[nodiscard]] absl::StatusOr<int64_t> CountActive(db::Transaction& tx,
                                                    int64_t organization_id) const;
  // The members with these numbers (those that exist).
  [[nodiscard]] absl::StatusOr<std::vector<Enrollee>> ByNumbers(
      db::Transaction& tx, const std::vector<std::string>& numbers) const;
  // Whether `organization_id` lies in `ancestor_id`'s subtree (itself included).
  [[nodiscard]] absl::StatusOr<bool> InSubtree(db::Transaction& tx, int64_t ancestor_id,
                                               int64_t organization_id) const;
  // The active members of `organization_id`'s subtree (an organisation moved: each may
  // now be covered by other plans).
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> ActiveIdsInSubtree(
      db::Transaction& tx, int64_t organization_id) const;
};

}  // namespace lms::enrollment
