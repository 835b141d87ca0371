#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/statistics_queue.h"
#include "services/activity/activity.h"

namespace lms::activity {

// Where a listing of activities resumes: after (start_time, id).
struct ActivityCursor {
  absl::Time start_time = absl::InfinitePast();
  int64_t id = 0;
};

struct ActivityQuery {
  int64_t organization_id = 0;
  bool include_subtree = false;
  // When set: the activities targeting this member, wherever organised (the two above
  // are then ignored).
  int64_t targeting_member_id = 0;
  // Starts in [from, to).
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  // Bit (1 << kind); 0: every kind.
  int64_t kind_mask = 0;
  std::optional<ActivityCursor> after;
  int limit = 0;
};

// Counts of an activity's attendance.
struct AttendanceCounts {
  int present = 0;
  int excused = 0;
  int pending = 0;
};

// An open organisation of a subtree that may owe activities.
struct OwingOrganization {
  int64_t id = 0;
  std::string name;
  int kind = 0;
};

// An activity held (started, not cancelled) as organisational-life reports show it.
struct HeldActivityRow {
  int64_t id = 0;
  int64_t organization_id = 0;
  ActivityKind kind = ActivityKind::kUnspecified;
  std::string title;
  absl::Time start_time = absl::InfinitePast();
  bool closed = false;
  // -1 before closing.
  int targeted = -1;
  int present = 0;
};

// SQL for activities, their versions and attendance. Writes that can change who was
// present in which month (attendance; an activity cancelled or moved) queue the members
// for the statistics rollups in the same transaction. Stateless; thread-safe.
class ActivityRepository {
 public:
  // Inserts the activity (state, version 1) and its first version; returns the id.
  [[nodiscard]] absl::StatusOr<int64_t> Insert(db::Transaction& tx, const Activity& activity,
                                               absl::Time now) const;
  // Stores `activity.content` and hours as version `activity.version` (a new one).
  [[nodiscard]] absl::Status InsertVersion(db::Transaction& tx, const Activity& activity,
                                           int64_t changed_by, absl::Time now) const;
  // Writes the header: state, version, start time, counts, cancel and close fields; its
  // attendees are queued for the statistics rollups.
  [[nodiscard]] absl::Status SaveHeader(db::Transaction& tx, const Activity& activity,
                                        int64_t closed_by) const;
  // The activity with version `version` (0: the current one); `lock` takes the row for
  // update (closing, editing), `share` in share mode (signing in).
  enum class Lock { kNone, kShare, kUpdate };
  [[nodiscard]] absl::StatusOr<std::optional<Activity>> Find(db::Transaction& tx, int64_t id,
                                                             Lock lock, int64_t version = 0) const;
  // Locks the activity's current version row for update: the mutex of a class's seat
  // changes. (Not the activity row: every scoped write holds that in share mode from its
  // scope check, and two upgrading it to update would deadlock.)
  [[nodiscard]] absl::Status LockVersion(db::Transaction& tx, const Activity& activity) const;
  // For the scope checker.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> OrganizationOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const;
  // Activities by start time, then id.
  [[nodiscard]] absl::StatusOr<std::vector<Activity>> List(db::Transaction& tx,
                                                           const ActivityQuery& query) const;
  // The activity's present and excused members (counted: see the migration).
  [[nodiscard]] absl::StatusOr<AttendanceCounts> Counts(db::Transaction& tx,
                                                        int64_t activity_id) const;
  // The same for a page of activities, in one statement (those with no record absent).
  [[nodiscard]] absl::StatusOr<std::map<int64_t, AttendanceCounts>> CountsOf(
      db::Transaction& tx, const std::vector<int64_t>& activity_ids) const;

  [[nodiscard]] absl::StatusOr<std::optional<Attendance>> FindAttendance(db::Transaction& tx,
                                                                         int64_t activity_id,
                                                                         int64_t member_id,
                                                                         bool lock) const;
  // Inserts a member's first record of an activity; false (nothing written) when one is
  // there already.
  [[nodiscard]] absl::StatusOr<bool> InsertAttendance(db::Transaction& tx,
                                                      const Attendance& attendance) const;
  // Overwrites a record that exists.
  [[nodiscard]] absl::Status UpdateAttendance(db::Transaction& tx,
                                              const Attendance& attendance) const;
  // The activity's records by member id after `after_member_id`, with names, at most
  // `limit`; `present_only` for closing.
  [[nodiscard]] absl::StatusOr<std::vector<Attendance>> ListAttendance(db::Transaction& tx,
                                                                       int64_t activity_id,
                                                                       int64_t after_member_id,
                                                                       int limit,
                                                                       bool present_only) const;

  // Whether the member is one the activity targets (active, in its organisation or
  // subtree, in its categories: for a class, who may sign up), and how many it targets
  // (for a class, the members seated).
  [[nodiscard]] absl::StatusOr<bool> Targets(db::Transaction& tx, const Activity& activity,
                                             int64_t member_id) const;
  // The same, answering the member's name when targeted (a sign-in's answer carries it).
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> TargetedMemberName(
      db::Transaction& tx, const Activity& activity, int64_t member_id) const;
  [[nodiscard]] absl::StatusOr<int> CountTargeted(db::Transaction& tx,
                                                  const Activity& activity) const;

  // Make-up study. Closed activities with a make-up course that started at or after
  // `since`, oldest first.
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> ClosedWithMakeUp(db::Transaction& tx,
                                                                      absl::Time since) const;
  // Members the activity targets, not present or made up (no record, excused, absent),
  // who completed its make-up course by studying it in [from, until].
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> MakeUpCandidates(db::Transaction& tx,
                                                                      const Activity& activity,
                                                                      absl::Time from,
                                                                      absl::Time until) const;

  // Organisational life. The open general branches, branches and groups of a subtree.
  [[nodiscard]] absl::StatusOr<std::vector<OwingOrganization>> OwingOrganizations(
      db::Transaction& tx, int64_t root) const;
  // Activities held in the subtree that started in [from, to), counted by organisation
  // and kind: (organisation, kind) -> count.
  [[nodiscard]] absl::StatusOr<std::vector<std::pair<std::pair<int64_t, int>, int>>> HeldCounts(
      db::Transaction& tx, int64_t root, absl::Time from, absl::Time to) const;
  // The held activities of these organisations that started in [from, to), by start.
  [[nodiscard]] absl::StatusOr<std::vector<HeldActivityRow>> HeldActivities(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids, absl::Time from,
      absl::Time to) const;

 private:
  const outbox::StatisticsQueue statistics_queue_{};
};

}  // namespace lms::activity
