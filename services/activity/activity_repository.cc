#include "services/activity/activity_repository.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::activity {
namespace {

constexpr char kInsert[] =
    "INSERT INTO activity (organization_id, kind, state, version, start_time, sign_in_secret,"
    " created_by, create_time, update_time) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)";
constexpr char kInsertVersion[] =
    "INSERT INTO activity_version (activity_id, version, title, content_category, description,"
    " location, start_time, end_time, sign_in_open_time, sign_in_close_time, sign_out_required,"
    " sign_out_open_time, sign_out_close_time, lecturer_member_id, lecturer_name,"
    " lecturer_title, include_subtree, category_mask, hours_hundredths, lecturer_hundredths,"
    " hours_rule_version, change_reason, changed_by, change_time, class_capacity,"
    " sign_up_open_time, sign_up_close_time, plan_id, makeup_course_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?)";
constexpr char kSaveHeader[] =
    "UPDATE activity SET state = ?, version = ?, start_time = ?, targeted_count = ?,"
    " cancel_reason = ?, update_time = ?, close_time = ?, closed_by = ?, lecturer_credit_id = ?"
    " WHERE id = ?";
constexpr char kColumns[] =
    "SELECT a.id, a.organization_id, a.kind, a.state, a.version, a.sign_in_secret,"
    " a.targeted_count, a.cancel_reason, a.created_by, a.create_time, a.update_time,"
    " a.close_time, a.lecturer_credit_id, v.version, v.title, v.content_category,"
    " v.description, v.location, v.start_time, v.end_time, v.sign_in_open_time,"
    " v.sign_in_close_time, v.sign_out_required, v.sign_out_open_time, v.sign_out_close_time,"
    " v.lecturer_member_id, v.lecturer_name, v.lecturer_title, v.include_subtree,"
    " v.category_mask, v.hours_hundredths, v.lecturer_hundredths, v.hours_rule_version,"
    " v.change_reason, v.class_capacity, v.sign_up_open_time, v.sign_up_close_time, v.plan_id,"
    " v.makeup_course_id"
    " FROM activity a JOIN activity_version v ON v.activity_id = a.id";
constexpr char kOrganizationOf[] = "SELECT organization_id FROM activity WHERE id = ?";
constexpr char kOrganizationOfLocked[] =
    "SELECT organization_id FROM activity WHERE id = ? LOCK IN SHARE MODE";
constexpr char kCounts[] =
    "SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0),"
    " COALESCE(SUM(status = 4), 0)"
    " FROM activity_attendance WHERE activity_id = ?";
constexpr char kCountsOfPrefix[] =
    "SELECT activity_id, SUM(status = 1), SUM(status = 2), SUM(status = 4)"
    " FROM activity_attendance WHERE activity_id IN (";
constexpr char kAttendanceColumns[] =
    "SELECT t.activity_id, t.member_id, t.status, t.sign_in_method, t.sign_in_time,"
    " t.sign_out_method, t.sign_out_time, t.kiosk_id, t.recorded_by, t.reason, t.credit_id,"
    " t.credit_seq, t.credited_hundredths, t.update_time, m.name, t.evidence_id"
    " FROM activity_attendance t JOIN member m ON m.id = t.member_id";
constexpr char kInsertAttendance[] =
    "INSERT IGNORE INTO activity_attendance (activity_id, member_id, status, sign_in_method,"
    " sign_in_time, sign_out_method, sign_out_time, kiosk_id, recorded_by, reason, credit_id,"
    " credit_seq, credited_hundredths, update_time, evidence_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdateAttendance[] =
    "UPDATE activity_attendance SET status = ?, sign_in_method = ?, sign_in_time = ?,"
    " sign_out_method = ?, sign_out_time = ?, kiosk_id = ?, recorded_by = ?, reason = ?,"
    " credit_id = ?, credit_seq = ?, credited_hundredths = ?, update_time = ?, evidence_id = ?"
    " WHERE activity_id = ? AND member_id = ?";
// The closure pair (activity's organisation, member's organisation): depth 0 is the
// organisation itself.
// An organisation's own members are those in it and in the Party groups (kind 4) right
// below it (a branch's members sit in its groups); with include_subtree, the whole subtree.
#define LMS_TARGETED_ORGANIZATION " AND (c.depth = 0 OR ? = 1 OR (c.depth = 1 AND o.kind = 4))"
constexpr char kTargets[] =
    "SELECT m.name FROM member m JOIN organization_closure c"
    " ON c.descendant_id = m.organization_id AND c.ancestor_id = ?"
    " JOIN organization o ON o.id = c.descendant_id"
    " WHERE m.id = ? AND m.status = 1" LMS_TARGETED_ORGANIZATION
    " AND (? = 0 OR (m.category_mask & ?) <> 0)";
constexpr char kCountTargeted[] =
    "SELECT COUNT(*) FROM organization_closure c JOIN organization o ON o.id = c.descendant_id"
    " JOIN member m ON m.organization_id = c.descendant_id AND m.status = 1"
    " WHERE c.ancestor_id = ?" LMS_TARGETED_ORGANIZATION
    " AND (? = 0 OR (m.category_mask & ?) <> 0)";

constexpr char kLockVersion[] =
    "SELECT version FROM activity_version WHERE activity_id = ? AND version = ? FOR UPDATE";
constexpr char kCountSeated[] =
    "SELECT COUNT(*) FROM class_seat WHERE activity_id = ? AND state = 1";
constexpr char kClosedWithMakeUp[] =
    "SELECT a.id FROM activity a JOIN activity_version v ON v.activity_id = a.id"
    " AND v.version = a.version WHERE a.state = 3 AND a.start_time >= ?"
    " AND v.makeup_course_id IS NOT NULL ORDER BY a.start_time, a.id";
// From the course's completions (an index range of course_progress), those of members the
// activity targets with no record that counts (absent, excused or none).
constexpr char kMakeUpCandidates[] =
    "SELECT p.member_id FROM course_progress p JOIN member m ON m.id = p.member_id"
    " AND m.status = 1 JOIN organization_closure c ON c.descendant_id = m.organization_id"
    " AND c.ancestor_id = ? JOIN organization o ON o.id = c.descendant_id"
    " LEFT JOIN activity_attendance t ON t.activity_id = ? AND t.member_id = p.member_id"
    " WHERE p.course_id = ? AND p.state = 2 AND p.completion_kind = 1"
    " AND p.completion_time >= ? AND p.completion_time <= ?" LMS_TARGETED_ORGANIZATION
    " AND (? = 0 OR (m.category_mask & ?) <> 0) AND (t.status IS NULL OR t.status IN (2, 3))"
    " ORDER BY p.member_id LIMIT 1000";
#undef LMS_TARGETED_ORGANIZATION
constexpr char kOwingOrganizations[] =
    "SELECT o.id, o.name, o.kind FROM organization_closure c"
    " JOIN organization o ON o.id = c.descendant_id"
    " WHERE c.ancestor_id = ? AND o.closed = 0 AND o.kind IN (2, 3, 4)";
// Held: started (before `to`, which the caller caps at now) and not cancelled.
constexpr char kHeldCounts[] =
    "SELECT a.organization_id, a.kind, COUNT(*) FROM organization_closure c"
    " JOIN activity a ON a.organization_id = c.descendant_id"
    " WHERE c.ancestor_id = ? AND a.start_time >= ? AND a.start_time < ? AND a.state <> 4"
    " GROUP BY a.organization_id, a.kind";
constexpr char kHeldActivitiesPrefix[] =
    "SELECT a.id, a.organization_id, a.kind, v.title, a.start_time, a.state, a.targeted_count,"
    " (SELECT COUNT(*) FROM activity_attendance t WHERE t.activity_id = a.id AND t.status = 1)"
    " FROM activity a JOIN activity_version v ON v.activity_id = a.id AND v.version = a.version"
    " WHERE a.start_time >= ? AND a.start_time < ? AND a.state <> 4 AND a.organization_id IN (";

db::Param MethodOrNull(AttendanceMethod method) {
  if (method == AttendanceMethod::kUnspecified) return db::Param(nullptr);
  return db::Param(static_cast<int>(method));
}

Activity ActivityFromRow(const db::Row& row) {
  Activity a;
  a.id = row.Int64(1);
  a.organization_id = row.Int64(2);
  a.kind = static_cast<ActivityKind>(row.Int64(3));
  a.state = static_cast<ActivityState>(row.Int64(4));
  a.version = row.Int64(5);
  const std::string secret = absl::HexStringToBytes(row.String(6));
  a.sign_in_secret.assign(secret.begin(), secret.end());
  a.targeted_count = row.IsNull(7) ? -1 : static_cast<int>(row.Int64(7));
  a.cancel_reason = row.String(8);
  a.created_by = row.Int64(9);
  a.create_time = row.Time(10);
  a.update_time = row.Time(11);
  a.close_time = row.Time(12);
  a.lecturer_credit_id = row.IsNull(13) ? 0 : row.Int64(13);
  // A past version read keeps the header's current version out of the answer.
  a.version = row.Int64(14);
  ActivityContent& c = a.content;
  c.title = row.String(15);
  c.content_category = static_cast<ContentCategory>(row.Int64(16));
  c.description = row.String(17);
  c.location = row.String(18);
  c.start_time = row.Time(19);
  c.end_time = row.Time(20);
  c.sign_in_open_time = row.Time(21);
  c.sign_in_close_time = row.Time(22);
  c.sign_out_required = row.Bool(23);
  c.sign_out_open_time = row.Time(24);
  c.sign_out_close_time = row.Time(25);
  c.lecturer.member_id = row.IsNull(26) ? 0 : row.Int64(26);
  c.lecturer.name = row.String(27);
  c.lecturer.title = row.String(28);
  c.targets.include_subtree = row.Bool(29);
  c.targets.member_categories = MemberCategoriesFromMask(row.Int64(30));
  a.hours.attendee_hundredths = row.Int64(31);
  a.hours.lecturer_hundredths = row.Int64(32);
  a.hours.rule_version = row.Int64(33);
  a.change_reason = row.String(34);
  TrainingClass& seats = c.training_class;
  seats.capacity = row.IsNull(35) ? 0 : static_cast<int>(row.Int64(35));
  seats.sign_up_open_time = row.Time(36);
  seats.sign_up_close_time = row.Time(37);
  seats.plan_id = row.IsNull(38) ? 0 : row.Int64(38);
  c.makeup_course_id = row.IsNull(39) ? 0 : row.Int64(39);
  return a;
}

Attendance AttendanceFromRow(const db::Row& row) {
  Attendance t;
  t.activity_id = row.Int64(1);
  t.member_id = row.Int64(2);
  t.status = static_cast<AttendanceStatus>(row.Int64(3));
  t.sign_in_method = static_cast<AttendanceMethod>(row.Int64(4));
  t.sign_in_time = row.Time(5);
  t.sign_out_method =
      row.IsNull(6) ? AttendanceMethod::kUnspecified : static_cast<AttendanceMethod>(row.Int64(6));
  t.sign_out_time = row.Time(7);
  t.kiosk_id = row.IsNull(8) ? 0 : row.Int64(8);
  t.recorded_by = row.IsNull(9) ? 0 : row.Int64(9);
  t.reason = row.String(10);
  t.credit_id = row.IsNull(11) ? 0 : row.Int64(11);
  t.credit_seq = static_cast<int>(row.Int64(12));
  t.credited_hundredths = row.Int64(13);
  t.update_time = row.Time(14);
  t.member_name = row.String(15);
  t.evidence_id = row.IsNull(16) ? 0 : row.Int64(16);
  return t;
}

int64_t CategoryMask(const Activity& activity) {
  return MemberCategoryMask(activity.content.targets.member_categories);
}

}  // namespace

absl::StatusOr<int64_t> ActivityRepository::Insert(db::Transaction& tx, const Activity& activity,
                                                   absl::Time now) const {
  const std::string secret = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(activity.sign_in_secret.data()),
                        activity.sign_in_secret.size()));
  ASSIGN_OR_RETURN(
      const int64_t id,
      tx.Insert(kInsert, {activity.organization_id, static_cast<int>(activity.kind),
                          static_cast<int>(activity.state), activity.content.start_time, secret,
                          activity.created_by, now, now}));
  Activity stored = activity;
  stored.id = id;
  stored.version = 1;
  RETURN_IF_ERROR(InsertVersion(tx, stored, activity.created_by, now));
  return id;
}

absl::Status ActivityRepository::InsertVersion(db::Transaction& tx, const Activity& activity,
                                               int64_t changed_by, absl::Time now) const {
  const ActivityContent& c = activity.content;
  return tx
      .Execute(kInsertVersion, {activity.id,
                                activity.version,
                                c.title,
                                static_cast<int>(c.content_category),
                                c.description,
                                c.location,
                                c.start_time,
                                c.end_time,
                                c.sign_in_open_time,
                                c.sign_in_close_time,
                                db::Param::Bool(c.sign_out_required),
                                db::Param::TimeOrNull(c.sign_out_open_time),
                                db::Param::TimeOrNull(c.sign_out_close_time),
                                db::Param::NullIfZero(c.lecturer.member_id),
                                c.lecturer.name,
                                c.lecturer.title,
                                db::Param::Bool(c.targets.include_subtree),
                                CategoryMask(activity),
                                activity.hours.attendee_hundredths,
                                activity.hours.lecturer_hundredths,
                                activity.hours.rule_version,
                                activity.change_reason,
                                changed_by,
                                now,
                                c.training_class.capacity > 0 ? db::Param(c.training_class.capacity)
                                                              : db::Param(nullptr),
                                db::Param::TimeOrNull(c.training_class.sign_up_open_time),
                                db::Param::TimeOrNull(c.training_class.sign_up_close_time),
                                db::Param::NullIfZero(c.training_class.plan_id),
                                db::Param::NullIfZero(c.makeup_course_id)})
      .status();
}

absl::Status ActivityRepository::SaveHeader(db::Transaction& tx, const Activity& activity,
                                            int64_t closed_by) const {
  // Cancelled or moved to another month: its attendees' monthly figures change.
  RETURN_IF_ERROR(statistics_queue_.EnqueueAttendees(tx, activity.id, activity.update_time));
  return tx
      .Execute(
          kSaveHeader,
          {static_cast<int>(activity.state), activity.version, activity.content.start_time,
           activity.targeted_count < 0 ? db::Param(nullptr) : db::Param(activity.targeted_count),
           activity.cancel_reason, activity.update_time, db::Param::TimeOrNull(activity.close_time),
           db::Param::NullIfZero(closed_by), db::Param::NullIfZero(activity.lecturer_credit_id),
           activity.id})
      .status();
}

absl::StatusOr<std::optional<Activity>> ActivityRepository::Find(db::Transaction& tx, int64_t id,
                                                                 Lock lock, int64_t version) const {
  const char* suffix = lock == Lock::kUpdate  ? " FOR UPDATE"
                       : lock == Lock::kShare ? " LOCK IN SHARE MODE"
                                              : "";
  std::optional<Activity> found;
  const std::string sql =
      version > 0 ? absl::StrCat(kColumns, " AND v.version = ? WHERE a.id = ?", suffix)
                  : absl::StrCat(kColumns, " AND v.version = a.version WHERE a.id = ?", suffix);
  std::vector<db::Param> params;
  if (version > 0) params.emplace_back(version);
  params.emplace_back(id);
  RETURN_IF_ERROR(tx.Query(sql, params, [&](const db::Row& row) { found = ActivityFromRow(row); }));
  return found;
}

absl::Status ActivityRepository::LockVersion(db::Transaction& tx, const Activity& activity) const {
  return tx.QueryInt64(kLockVersion, {activity.id, activity.version}).status();
}

absl::StatusOr<std::optional<int64_t>> ActivityRepository::OrganizationOf(db::Transaction& tx,
                                                                          int64_t id,
                                                                          bool lock) const {
  return tx.QueryInt64(lock ? kOrganizationOfLocked : kOrganizationOf, {id});
}

absl::StatusOr<std::vector<Activity>> ActivityRepository::List(db::Transaction& tx,
                                                               const ActivityQuery& query) const {
  // The organisation's own activities are one range of activity_organization_start; a
  // subtree's walk the closure range first.
  std::string sql;
  std::vector<db::Param> params;
  if (query.targeting_member_id > 0) {
    // From the member up the tree (the closure's descendant index), then each ancestor's
    // activities by start: the targets rule of Targets(), per activity version.
    sql = absl::StrCat(
        kColumns,
        " AND v.version = a.version JOIN member m ON m.id = ?"
        " JOIN organization_closure c ON c.descendant_id = m.organization_id"
        " AND c.ancestor_id = a.organization_id JOIN organization o ON o.id = m.organization_id"
        " WHERE m.status = 1 AND (c.depth = 0 OR v.include_subtree = 1"
        " OR (c.depth = 1 AND o.kind = 4))"
        " AND (v.category_mask = 0 OR (m.category_mask & v.category_mask) <> 0)");
    params.emplace_back(query.targeting_member_id);
  } else if (query.include_subtree) {
    sql = absl::StrCat(kColumns,
                       " AND v.version = a.version JOIN organization_closure c"
                       " ON c.descendant_id = a.organization_id WHERE c.ancestor_id = ?");
    params.emplace_back(query.organization_id);
  } else {
    sql = absl::StrCat(kColumns, " AND v.version = a.version WHERE a.organization_id = ?");
    params.emplace_back(query.organization_id);
  }
  absl::StrAppend(&sql, " AND a.start_time >= ? AND a.start_time < ?");
  params.emplace_back(query.from);
  params.emplace_back(query.to);
  if (query.kind_mask != 0) {
    absl::StrAppend(&sql, " AND ((1 << a.kind) & ?) <> 0");
    params.emplace_back(query.kind_mask);
  }
  if (query.after.has_value()) {
    absl::StrAppend(&sql, " AND (a.start_time > ? OR (a.start_time = ? AND a.id > ?))");
    params.emplace_back(query.after->start_time);
    params.emplace_back(query.after->start_time);
    params.emplace_back(query.after->id);
  }
  absl::StrAppend(&sql, " ORDER BY a.start_time, a.id LIMIT ?");
  params.emplace_back(query.limit);
  std::vector<Activity> activities;
  RETURN_IF_ERROR(tx.Query(
      sql, params, [&](const db::Row& row) { activities.push_back(ActivityFromRow(row)); }));
  return activities;
}

absl::StatusOr<AttendanceCounts> ActivityRepository::Counts(db::Transaction& tx,
                                                            int64_t activity_id) const {
  AttendanceCounts counts;
  RETURN_IF_ERROR(tx.Query(kCounts, {activity_id}, [&](const db::Row& row) {
    counts.present = static_cast<int>(row.Int64(1));
    counts.excused = static_cast<int>(row.Int64(2));
    counts.pending = static_cast<int>(row.Int64(3));
  }));
  return counts;
}

absl::StatusOr<std::map<int64_t, AttendanceCounts>> ActivityRepository::CountsOf(
    db::Transaction& tx, const std::vector<int64_t>& activity_ids) const {
  std::map<int64_t, AttendanceCounts> counts;
  if (activity_ids.empty()) return counts;
  std::vector<db::Param> params;
  const size_t marks = db::AppendPadded(activity_ids, params);
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kCountsOfPrefix, db::BindMarks(marks), ") GROUP BY activity_id"), params,
      [&](const db::Row& row) {
        counts[row.Int64(1)] = {static_cast<int>(row.Int64(2)), static_cast<int>(row.Int64(3)),
                                static_cast<int>(row.Int64(4))};
      }));
  return counts;
}

absl::StatusOr<std::optional<Attendance>> ActivityRepository::FindAttendance(db::Transaction& tx,
                                                                             int64_t activity_id,
                                                                             int64_t member_id,
                                                                             bool lock) const {
  std::optional<Attendance> found;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kAttendanceColumns, " WHERE t.activity_id = ? AND t.member_id = ?",
                   lock ? " FOR UPDATE" : ""),
      {activity_id, member_id}, [&](const db::Row& row) { found = AttendanceFromRow(row); }));
  return found;
}

absl::StatusOr<bool> ActivityRepository::InsertAttendance(db::Transaction& tx,
                                                          const Attendance& t) const {
  RETURN_IF_ERROR(statistics_queue_.Enqueue(tx, {t.member_id}, t.update_time));
  ASSIGN_OR_RETURN(
      const uint64_t inserted,
      tx.Execute(kInsertAttendance,
                 {t.activity_id, t.member_id, static_cast<int>(t.status),
                  static_cast<int>(t.sign_in_method), db::Param::TimeOrNull(t.sign_in_time),
                  MethodOrNull(t.sign_out_method), db::Param::TimeOrNull(t.sign_out_time),
                  db::Param::NullIfZero(t.kiosk_id), db::Param::NullIfZero(t.recorded_by), t.reason,
                  db::Param::NullIfZero(t.credit_id), t.credit_seq, t.credited_hundredths,
                  t.update_time, db::Param::NullIfZero(t.evidence_id)}));
  return inserted == 1;
}

absl::Status ActivityRepository::UpdateAttendance(db::Transaction& tx, const Attendance& t) const {
  RETURN_IF_ERROR(statistics_queue_.Enqueue(tx, {t.member_id}, t.update_time));
  return tx
      .Execute(kUpdateAttendance,
               {static_cast<int>(t.status), static_cast<int>(t.sign_in_method),
                db::Param::TimeOrNull(t.sign_in_time), MethodOrNull(t.sign_out_method),
                db::Param::TimeOrNull(t.sign_out_time), db::Param::NullIfZero(t.kiosk_id),
                db::Param::NullIfZero(t.recorded_by), t.reason, db::Param::NullIfZero(t.credit_id),
                t.credit_seq, t.credited_hundredths, t.update_time,
                db::Param::NullIfZero(t.evidence_id), t.activity_id, t.member_id})
      .status();
}

absl::StatusOr<std::vector<Attendance>> ActivityRepository::ListAttendance(
    db::Transaction& tx, int64_t activity_id, int64_t after_member_id, int limit,
    bool present_only) const {
  std::vector<Attendance> rows;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kAttendanceColumns, " WHERE t.activity_id = ? AND t.member_id > ?",
                   present_only ? " AND t.status = 1" : "", " ORDER BY t.member_id LIMIT ?"),
      {activity_id, after_member_id, limit},
      [&](const db::Row& row) { rows.push_back(AttendanceFromRow(row)); }));
  return rows;
}

absl::StatusOr<bool> ActivityRepository::Targets(db::Transaction& tx, const Activity& activity,
                                                 int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<std::string> name,
                   TargetedMemberName(tx, activity, member_id));
  return name.has_value();
}

absl::StatusOr<std::optional<std::string>> ActivityRepository::TargetedMemberName(
    db::Transaction& tx, const Activity& activity, int64_t member_id) const {
  const int64_t mask = CategoryMask(activity);
  std::optional<std::string> name;
  RETURN_IF_ERROR(tx.Query(kTargets,
                           {activity.organization_id, member_id,
                            db::Param::Bool(activity.content.targets.include_subtree), mask, mask},
                           [&](const db::Row& row) { name = row.String(1); }));
  return name;
}

absl::StatusOr<int> ActivityRepository::CountTargeted(db::Transaction& tx,
                                                      const Activity& activity) const {
  if (activity.IsClass()) {
    // A class is for the members holding its seats.
    ASSIGN_OR_RETURN(const std::optional<int64_t> seated,
                     tx.QueryInt64(kCountSeated, {activity.id}));
    return static_cast<int>(seated.value_or(0));
  }
  const int64_t mask = CategoryMask(activity);
  ASSIGN_OR_RETURN(
      const std::optional<int64_t> count,
      tx.QueryInt64(kCountTargeted,
                    {activity.organization_id,
                     db::Param::Bool(activity.content.targets.include_subtree), mask, mask}));
  return static_cast<int>(count.value_or(0));
}

absl::StatusOr<std::vector<OwingOrganization>> ActivityRepository::OwingOrganizations(
    db::Transaction& tx, int64_t root) const {
  std::vector<OwingOrganization> organizations;
  RETURN_IF_ERROR(tx.Query(kOwingOrganizations, {root}, [&](const db::Row& row) {
    organizations.push_back({row.Int64(1), row.String(2), static_cast<int>(row.Int64(3))});
  }));
  return organizations;
}

absl::StatusOr<std::vector<std::pair<std::pair<int64_t, int>, int>>> ActivityRepository::HeldCounts(
    db::Transaction& tx, int64_t root, absl::Time from, absl::Time to) const {
  std::vector<std::pair<std::pair<int64_t, int>, int>> counts;
  RETURN_IF_ERROR(tx.Query(kHeldCounts, {root, from, to}, [&](const db::Row& row) {
    counts.push_back(
        {{row.Int64(1), static_cast<int>(row.Int64(2))}, static_cast<int>(row.Int64(3))});
  }));
  return counts;
}

absl::StatusOr<std::vector<HeldActivityRow>> ActivityRepository::HeldActivities(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids, absl::Time from,
    absl::Time to) const {
  std::vector<HeldActivityRow> rows;
  if (organization_ids.empty()) return rows;
  std::vector<db::Param> params{from, to};
  const size_t marks = db::AppendPadded(organization_ids, params);
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kHeldActivitiesPrefix, db::BindMarks(marks), ") ORDER BY a.start_time, a.id"),
      params, [&](const db::Row& row) {
        HeldActivityRow held;
        held.id = row.Int64(1);
        held.organization_id = row.Int64(2);
        held.kind = static_cast<ActivityKind>(row.Int64(3));
        held.title = row.String(4);
        held.start_time = row.Time(5);
        held.closed = row.Int64(6) == static_cast<int>(ActivityState::kClosed);
        held.targeted = row.IsNull(7) ? -1 : static_cast<int>(row.Int64(7));
        held.present = static_cast<int>(row.Int64(8));
        rows.push_back(std::move(held));
      }));
  return rows;
}

absl::StatusOr<std::vector<int64_t>> ActivityRepository::ClosedWithMakeUp(db::Transaction& tx,
                                                                          absl::Time since) const {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(tx.Query(kClosedWithMakeUp, {since},
                           [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
  return ids;
}

absl::StatusOr<std::vector<int64_t>> ActivityRepository::MakeUpCandidates(db::Transaction& tx,
                                                                          const Activity& activity,
                                                                          absl::Time from,
                                                                          absl::Time until) const {
  const int64_t mask = CategoryMask(activity);
  std::vector<int64_t> members;
  RETURN_IF_ERROR(
      tx.Query(kMakeUpCandidates,
               {activity.organization_id, activity.id, activity.content.makeup_course_id, from,
                until, db::Param::Bool(activity.content.targets.include_subtree), mask, mask},
               [&](const db::Row& row) { members.push_back(row.Int64(1)); }));
  return members;
}

}  // namespace lms::activity
