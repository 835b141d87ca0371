#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/enrollment/enrollment.h"

namespace lms::enrollment {

// How opening reasons went: enrolments created, and (member, course) pairs that were
// enrolled already (the reason was added to them).
struct OpenedReasons {
  int64_t created = 0;
  int64_t existing = 0;
};

// One line of "my learning" as stored: the enrolment with its course's title and hours.
struct LearningRow {
  LearningEntry entry;
  std::string title;
  int64_t study_hundredths = 0;
};

// An elective a covering plan recommends to a member, for "my learning".
struct RecommendedRow {
  int64_t course_id = 0;
  std::string title;
  int64_t study_hundredths = 0;
  // The lowest-id covering plan recommending it.
  int64_t plan_id = 0;
};

// Which enrolments a list shows: one member's, or one course's within a subtree; keyset
// paged by enrolment id.
struct EnrollmentFilter {
  int64_t member_id = 0;
  int64_t organization_id = 0;
  int64_t course_id = 0;
  // Stored states to include (empty: all).
  std::vector<EnrollmentState> states;
  int64_t after_id = 0;
  int limit = 50;
};

// SQL for enrollment and enrollment_reason. An enrolment exists once per (member,
// course); its `required`, `due_date` and open/ended state are settled from its open
// reasons in the same transaction as the reasons change (Settle), so they never disagree.
// Every write is set-based: multi-row INSERTs of up to 1,000 rows, and UPDATEs over up to
// 1,000 members of one course. Stateless; thread-safe.
class EnrollmentRepository {
 public:
  // Opens `reasons` (new, or reopening ended ones with the given due dates): creates the
  // enrolments that do not exist, and settles the existing ones (an ended enrolment other
  // than a waived one reopens; `required` and the earliest due date follow its reasons).
  [[nodiscard]] absl::StatusOr<OpenedReasons> OpenReasons(
      db::Transaction& tx, const std::vector<EnrollmentReason>& reasons, absl::Time now) const;

  // The set-based form of OpenReasons for a publication's batch: the reasons that version
  // `plan_version` of a plan gives the active members of its organisation's subtree with
  // ids in (after_id, last_id] (members = those ids), written by INSERT ... SELECT on the
  // server, without a row crossing the connection. Returns the enrolments created; pairs
  // that existed already are settled as in OpenReasons.
  [[nodiscard]] absl::StatusOr<int64_t> OpenPlanBatch(db::Transaction& tx, int64_t plan_id,
                                                      int plan_version, int64_t organization_id,
                                                      int64_t after_id,
                                                      const std::vector<int64_t>& members,
                                                      absl::Time now) const;

  // Ends these open reasons (matched by member, course, kind, plan and category), then
  // settles their enrolments: one left without an open reason ends in `end_state`
  // (withdrawn or transferred out) with `why`, `actor` and `now`; its progress is kept.
  [[nodiscard]] absl::Status EndReasons(db::Transaction& tx,
                                        const std::vector<EnrollmentReason>& reasons,
                                        EnrollmentState end_state, const std::string& why,
                                        int64_t actor, absl::Time now) const;

  // Ends a plan's reasons for one (category, course) for every member, as EndReasons.
  [[nodiscard]] absl::Status EndPlanRequirement(db::Transaction& tx, int64_t plan_id,
                                                MemberCategory category, int64_t course_id,
                                                const std::string& why, int64_t actor,
                                                absl::Time now) const;

  // Sets the due date of a plan's open reasons for one (category, course) and settles
  // their enrolments (a published edit moving a due date).
  [[nodiscard]] absl::Status MovePlanDueDate(db::Transaction& tx, int64_t plan_id,
                                             MemberCategory category, int64_t course_id,
                                             absl::CivilDay due_date, absl::Time now) const;

  // These members' open reasons of kinds plan and assigned.
  [[nodiscard]] absl::StatusOr<std::vector<EnrollmentReason>> OpenRequirementReasons(
      db::Transaction& tx, const std::vector<int64_t>& member_ids) const;

  [[nodiscard]] absl::StatusOr<std::optional<Enrollment>> Find(db::Transaction& tx, int64_t id,
                                                               bool lock) const;
  [[nodiscard]] absl::StatusOr<std::optional<Enrollment>> FindByMemberAndCourse(
      db::Transaction& tx, int64_t member_id, int64_t course_id) const;
  // The member an enrolment belongs to (the authorization owner); nullopt if none.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> MemberOf(db::Transaction& tx, int64_t id,
                                                                bool lock) const;

  // Ends an open enrolment in `state` (withdrawn or waived) with its reason, and ends its
  // open reasons (a requirement the admin withdrew stays withdrawn until a plan or admin
  // requires it again).
  [[nodiscard]] absl::Status End(db::Transaction& tx, int64_t id, EnrollmentState state,
                                 const std::string& why, int64_t actor, absl::Time now) const;

  // How many courses are required of a member (open enrolments a plan or admin requires),
  // and how many of those are completed (course_progress).
  struct RequiredCounts {
    int32_t required = 0;
    int32_t completed = 0;
  };
  [[nodiscard]] absl::StatusOr<RequiredCounts> CountRequired(db::Transaction& tx,
                                                             int64_t member_id) const;

  // A member's open enrolments not yet completed, with course titles and hours, for "my
  // learning": started ones read IN_PROGRESS.
  [[nodiscard]] absl::StatusOr<std::vector<LearningRow>> OpenLearning(db::Transaction& tx,
                                                                      int64_t member_id) const;
  // Published electives that `year`'s published plans covering the member (their
  // organisation's and its ancestors') recommend for one of the member's categories, and
  // that the member has no enrolment in (any state); by course id, at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<RecommendedRow>> Recommended(db::Transaction& tx,
                                                                        int64_t member_id, int year,
                                                                        int limit) const;
  // How many of the member's offline events wait for their confirmation (the progress
  // service's pending_progress_event), so "my learning" can prompt at sign-in.
  [[nodiscard]] absl::StatusOr<int64_t> CountPendingProgress(db::Transaction& tx,
                                                             int64_t member_id) const;

  // A page of enrolments with their open reasons.
  [[nodiscard]] absl::StatusOr<std::vector<Enrollment>> List(db::Transaction& tx,
                                                             const EnrollmentFilter& filter) const;

 private:
  // Recomputes `required` and `due_date` of these members' enrolments in `course_id`
  // from their open reasons; reopens ended ones that have an open reason again (not
  // waived); ends open ones left without, in `end_state` (kUnspecified: none ends).
  absl::Status Settle(db::Transaction& tx, int64_t course_id, const std::vector<int64_t>& members,
                      EnrollmentState end_state, const std::string& why, int64_t actor,
                      absl::Time now) const;
  absl::Status LoadReasons(db::Transaction& tx, std::vector<Enrollment>& enrollments) const;
};

}  // namespace lms::enrollment
