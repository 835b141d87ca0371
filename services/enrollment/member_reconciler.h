#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/outbox_consumer.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_repository.h"

namespace lms::enrollment {

// Reacts to the organisation service's outbox (consumer "enrollment"): a member who
// joined, changed categories or status, or transferred, and every member of an
// organisation that moved, gets what the published plans covering them now require, and
// loses what no plan or assignment covering them requires any more. A reason whose
// subtree the member left ends as transferred out; one whose category the member lost,
// or any reason of a member no longer active, ends as withdrawn. Reasons of closed plans
// are history and stay as they are. Reconciles from the state as it is when the event
// is read, so events may come in any order, or twice, without harm. A batch is read and
// written set-based: its members and their reasons in a few statements, every change in
// multi-row statements. Thread-safe.
class MemberReconciler {
 public:
  MemberReconciler(const PlanRepository& plans, const EnrollmentRepository& enrollments,
                   const MemberDirectory& members)
      : plans_(plans), enrollments_(enrollments), members_(members) {}

  // A batch of events in the consumer's transaction; `today` picks the plan years that
  // still assign (this year's and later).
  [[nodiscard]] absl::Status Handle(db::Transaction& tx,
                                    const std::vector<outbox::DeliveredEvent>& events,
                                    absl::Time now, absl::CivilDay today) const;

 private:
  // Published plans covering each organisation of one batch's members.
  using Covering = absl::flat_hash_map<int64_t, std::vector<PlanRequirements>>;

  // What one member's reasons must become, added to the batch's three lists.
  struct Changes {
    std::vector<EnrollmentReason> to_open;
    std::vector<EnrollmentReason> left_subtree;
    std::vector<EnrollmentReason> not_required;
    std::vector<EnrollmentReason> inactive;
  };
  absl::Status Plan(db::Transaction& tx, const Enrollee& member,
                    const std::vector<EnrollmentReason>& current, const Covering& covering,
                    Changes& changes) const;

  const PlanRepository& plans_;
  const EnrollmentRepository& enrollments_;
  const MemberDirectory& members_;
};

}  // namespace lms::enrollment
