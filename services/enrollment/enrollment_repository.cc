#include "services/enrollment/enrollment_repository.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/enrollment/reference_lookup.h"

namespace lms::enrollment {
namespace {

constexpr int kStateOpen = static_cast<int>(EnrollmentState::kNotStarted);

constexpr char kExistingPrefix[] =
    "SELECT member_id, course_id FROM enrollment WHERE member_id IN (";
constexpr char kInsertEnrollmentPrefix[] =
    "INSERT IGNORE INTO enrollment (member_id, course_id, state, required, due_date,"
    " enroll_time) VALUES ";
constexpr char kEnrollmentRow[] = "(?, ?, ?, ?, ?, ?)";
// A reopened reason starts again from now; an open one keeps its start.
constexpr char kUpsertReasonPrefix[] =
    "INSERT INTO enrollment_reason (member_id, course_id, kind, plan_id, category,"
    " organization_id, assigned_by, due_date, since) VALUES ";
constexpr char kReasonRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpsertReasonSuffix[] =
    " ON DUPLICATE KEY UPDATE enrollment_reason.since = IF(enrollment_reason.ended_time IS NULL,"
    " enrollment_reason.since, VALUES(since)), enrollment_reason.ended_time = NULL,"
    " enrollment_reason.due_date = VALUES(due_date), enrollment_reason.organization_id ="
    " VALUES(organization_id), enrollment_reason.assigned_by = VALUES(assigned_by)";
// A publication's batch, set-based: members (after, last] of the subtree, active, holding
// a category the plan version requires courses of. STRAIGHT_JOIN keeps the member primary
// key range as the driving index.
constexpr char kBatchSource[] =
    " FROM member m JOIN organization_closure c ON c.ancestor_id = ?"
    " AND c.descendant_id = m.organization_id JOIN plan_course pc ON pc.plan_id = ?"
    " AND pc.plan_version = ? AND pc.required = 1"
    " AND (m.category_mask & (1 << pc.category)) <> 0"
    " WHERE m.id > ? AND m.id <= ? AND m.status = 1";
constexpr char kBatchExisting[] =
    "SELECT COUNT(*) FROM enrollment WHERE member_id > ? AND member_id <= ? AND course_id IN"
    " (SELECT course_id FROM plan_course WHERE plan_id = ? AND plan_version = ? AND required = 1)";
constexpr char kBatchEnrollmentsPrefix[] =
    "INSERT IGNORE INTO enrollment (member_id, course_id, state, required, due_date,"
    " enroll_time) SELECT STRAIGHT_JOIN m.id, pc.course_id, 1, 1, MIN(pc.due_date), ?";
constexpr char kBatchReasonsPrefix[] =
    "INSERT INTO enrollment_reason (member_id, course_id, kind, plan_id, category,"
    " organization_id, assigned_by, due_date, since) SELECT STRAIGHT_JOIN m.id, pc.course_id,"
    " 1, pc.plan_id, pc.category, c.ancestor_id, 0, pc.due_date, ?";
constexpr char kBatchCourses[] =
    "SELECT DISTINCT course_id FROM plan_course WHERE plan_id = ? AND plan_version = ?"
    " AND required = 1";
// Reasons by their primary key, up to 1,000 to a statement.
constexpr char kEndReasonsPrefix[] =
    "UPDATE enrollment_reason SET ended_time = ? WHERE ended_time IS NULL AND"
    " (member_id, course_id, kind, plan_id, category) IN (";
constexpr char kEndPlanRequirement[] =
    "UPDATE enrollment_reason SET ended_time = ? WHERE plan_id = ? AND category = ?"
    " AND course_id = ? AND ended_time IS NULL";
constexpr char kMovePlanDue[] =
    "UPDATE enrollment_reason SET due_date = ? WHERE plan_id = ? AND category = ?"
    " AND course_id = ? AND ended_time IS NULL";
constexpr char kMembersOfPlanRequirement[] =
    "SELECT member_id FROM enrollment_reason WHERE plan_id = ? AND category = ?"
    " AND course_id = ? AND ended_time IS NULL";

// Settling, for up to 1,000 members of one course (the last parameter list).
constexpr char kSettleSummaryPrefix[] =
    "UPDATE enrollment e SET"
    " e.required = EXISTS (SELECT 1 FROM enrollment_reason r WHERE r.member_id = e.member_id"
    "   AND r.course_id = e.course_id AND r.ended_time IS NULL AND r.kind <> 3),"
    " e.due_date = (SELECT MIN(r.due_date) FROM enrollment_reason r"
    "   WHERE r.member_id = e.member_id AND r.course_id = e.course_id"
    "   AND r.ended_time IS NULL)"
    " WHERE e.course_id = ? AND e.member_id IN (";
constexpr char kSettleReopenPrefix[] =
    "UPDATE enrollment e SET e.state = 1, e.state_reason = '', e.state_changed_by = 0,"
    " e.state_change_time = ? WHERE e.state IN (5, 6) AND EXISTS (SELECT 1 FROM"
    " enrollment_reason r WHERE r.member_id = e.member_id AND r.course_id = e.course_id"
    " AND r.ended_time IS NULL) AND e.course_id = ? AND e.member_id IN (";
constexpr char kSettleEndPrefix[] =
    "UPDATE enrollment e SET e.state = ?, e.state_reason = ?, e.state_changed_by = ?,"
    " e.state_change_time = ? WHERE e.state IN (1, 2) AND NOT EXISTS (SELECT 1 FROM"
    " enrollment_reason r WHERE r.member_id = e.member_id AND r.course_id = e.course_id"
    " AND r.ended_time IS NULL) AND e.course_id = ? AND e.member_id IN (";

constexpr char kOpenRequirementReasonsPrefix[] =
    "SELECT member_id, course_id, kind, plan_id, category, organization_id, assigned_by,"
    " due_date, since FROM enrollment_reason WHERE ended_time IS NULL AND kind <> 3"
    " AND member_id IN (";
constexpr char kEnrollmentColumns[] =
    "SELECT id, member_id, course_id, required, due_date, state, state_reason,"
    " state_changed_by, state_change_time, enroll_time FROM enrollment";
constexpr char kMemberOf[] = "SELECT member_id FROM enrollment WHERE id = ?";
constexpr char kMemberOfLocked[] =
    "SELECT member_id FROM enrollment WHERE id = ? LOCK IN SHARE MODE";
constexpr char kEnd[] =
    "UPDATE enrollment SET state = ?, state_reason = ?, state_changed_by = ?,"
    " state_change_time = ? WHERE id = ? AND state IN (1, 2)";
constexpr char kEndAllReasons[] =
    "UPDATE enrollment_reason r JOIN enrollment e ON e.member_id = r.member_id"
    " AND e.course_id = r.course_id SET r.ended_time = ? WHERE e.id = ?"
    " AND r.ended_time IS NULL";
// The member's progress in each course (course_progress, kept by the progress service
// in the same store) decides whether an open enrolment is started or done: a completed
// course leaves the list.
constexpr char kOpenLearning[] =
    "SELECT e.id, e.course_id, e.required, e.due_date,"
    " IF(p.member_id IS NULL, e.state, 2), c.title, c.study_hours_centi"
    " FROM enrollment e JOIN course c ON c.id = e.course_id"
    " LEFT JOIN course_progress p ON p.member_id = e.member_id AND p.course_id = e.course_id"
    " WHERE e.member_id = ? AND e.state IN (1, 2) AND (p.state IS NULL OR p.state <> 2)";
// Plans as kWithCoveringHours finds them (published, this year, set by the member's
// organisation or an ancestor), their published version's electives for a category the
// member holds (bit 1 << category of category_mask). A course two plans or categories
// name comes back more than once: merged and ordered here, not by a temporary table in
// the database (a quarter of the statement's time, measured with mariadb-slap).
constexpr char kRecommended[] =
    "SELECT pc.course_id, p.id, c.title, c.study_hours_centi FROM member m"
    " JOIN organization_closure cl ON cl.descendant_id = m.organization_id"
    " JOIN training_plan p ON p.organization_id = cl.ancestor_id AND p.state = 2 AND p.year = ?"
    " JOIN plan_course pc ON pc.plan_id = p.id AND pc.plan_version = p.published_version"
    " AND pc.required = 0 AND (m.category_mask & (1 << pc.category)) <> 0"
    " JOIN course c ON c.id = pc.course_id AND c.state = ?"
    " WHERE m.id = ? AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.member_id = m.id"
    " AND e.course_id = pc.course_id)";
constexpr char kCountRequired[] =
    "SELECT COUNT(*), COALESCE(SUM(p.state = 2), 0) FROM enrollment e"
    " LEFT JOIN course_progress p ON p.member_id = e.member_id AND p.course_id = e.course_id"
    " WHERE e.member_id = ? AND e.state IN (1, 2) AND e.required = 1";
constexpr char kReasonsOfPrefix[] =
    "SELECT member_id, course_id, kind, plan_id, category, organization_id, assigned_by,"
    " due_date, since FROM enrollment_reason WHERE ended_time IS NULL AND (member_id,"
    " course_id) IN (";

std::optional<absl::CivilDay> EarlierOf(std::optional<absl::CivilDay> a,
                                        std::optional<absl::CivilDay> b) {
  if (!a.has_value()) return b;
  if (!b.has_value()) return a;
  return std::min(*a, *b);
}

EnrollmentReason ReasonFromRow(const db::Row& row) {
  EnrollmentReason reason;
  reason.member_id = row.Int64(1);
  reason.course_id = row.Int64(2);
  reason.kind = static_cast<ReasonKind>(row.Int64(3));
  reason.plan_id = row.Int64(4);
  reason.category = static_cast<MemberCategory>(row.Int64(5));
  reason.organization_id = row.Int64(6);
  reason.assigned_by = row.Int64(7);
  reason.due_date = row.Day(8);
  reason.since = row.Time(9);
  return reason;
}

Enrollment EnrollmentFromRow(const db::Row& row) {
  Enrollment e;
  e.id = row.Int64(1);
  e.member_id = row.Int64(2);
  e.course_id = row.Int64(3);
  e.required = row.Bool(4);
  e.due_date = row.Day(5);
  e.state = static_cast<EnrollmentState>(row.Int64(6));
  e.state_reason = row.String(7);
  e.state_changed_by = row.Int64(8);
  e.state_change_time = row.Time(9);
  e.enroll_time = row.Time(10);
  return e;
}

// Runs `prefix` + marks + ")" over `members` in batches, with `leading` parameters first.
absl::Status ForMemberBatches(db::Transaction& tx, const std::string& prefix,
                              const std::vector<db::Param>& leading,
                              const std::vector<int64_t>& members) {
  return db::ForEachBatch(members.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = leading;
    params.insert(params.end(), members.begin() + begin, members.begin() + begin + size);
    return tx.Execute(absl::StrCat(prefix, db::BindMarks(size), ")"), params).status();
  });
}

}  // namespace

absl::StatusOr<OpenedReasons> EnrollmentRepository::OpenReasons(
    db::Transaction& tx, const std::vector<EnrollmentReason>& reasons, absl::Time now) const {
  OpenedReasons result;
  if (reasons.empty()) return result;
  // Per (member, course): what its reasons add up to.
  struct Summary {
    bool required = false;
    std::optional<absl::CivilDay> due_date;
  };
  std::map<std::pair<int64_t, int64_t>, Summary> pairs;
  for (const EnrollmentReason& reason : reasons) {
    Summary& summary = pairs[{reason.member_id, reason.course_id}];
    summary.required = summary.required || reason.requires_it();
    summary.due_date = EarlierOf(summary.due_date, reason.due_date);
  }
  std::vector<int64_t> members;
  for (const auto& [key, unused] : pairs) {
    if (members.empty() || members.back() != key.first) members.push_back(key.first);
  }
  std::set<std::pair<int64_t, int64_t>> existing;
  RETURN_IF_ERROR(db::ForEachBatch(members.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(members.begin() + begin, members.begin() + begin + size);
    return tx.Query(absl::StrCat(kExistingPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) {
                      const std::pair<int64_t, int64_t> key{row.Int64(1), row.Int64(2)};
                      if (pairs.count(key) > 0) existing.insert(key);
                    });
  }));

  std::vector<std::pair<int64_t, int64_t>> fresh;
  for (const auto& [key, unused] : pairs) {
    if (existing.count(key) == 0) fresh.push_back(key);
  }
  RETURN_IF_ERROR(db::ForEachBatch(fresh.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 6);
    std::vector<std::string> rows(size, kEnrollmentRow);
    for (size_t i = begin; i < begin + size; ++i) {
      const Summary& summary = pairs[fresh[i]];
      params.insert(params.end(),
                    {fresh[i].first, fresh[i].second, kStateOpen, db::Param::Bool(summary.required),
                     db::Param::DayOrNull(summary.due_date), now});
    }
    ASSIGN_OR_RETURN(
        const uint64_t inserted,
        tx.Execute(absl::StrCat(kInsertEnrollmentPrefix, absl::StrJoin(rows, ", ")), params));
    result.created += static_cast<int64_t>(inserted);
    return absl::OkStatus();
  }));

  RETURN_IF_ERROR(db::ForEachBatch(reasons.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 9);
    std::vector<std::string> rows(size, kReasonRow);
    for (size_t i = begin; i < begin + size; ++i) {
      const EnrollmentReason& r = reasons[i];
      params.insert(params.end(), {r.member_id, r.course_id, static_cast<int>(r.kind), r.plan_id,
                                   static_cast<int>(r.category), r.organization_id, r.assigned_by,
                                   db::Param::DayOrNull(r.due_date), now});
    }
    return tx
        .Execute(absl::StrCat(kUpsertReasonPrefix, absl::StrJoin(rows, ", "), kUpsertReasonSuffix),
                 params)
        .status();
  }));

  // A pair inserted by a concurrent writer since our look counts as existing: settling
  // every pair that was not created here covers it.
  result.existing = static_cast<int64_t>(pairs.size()) - result.created;
  if (result.existing == 0) return result;
  std::map<int64_t, std::vector<int64_t>> by_course;
  for (const auto& [key, unused] : pairs) {
    if (existing.count(key) > 0 || result.created < static_cast<int64_t>(fresh.size())) {
      by_course[key.second].push_back(key.first);
    }
  }
  for (const auto& [course, course_members] : by_course) {
    RETURN_IF_ERROR(Settle(tx, course, course_members, EnrollmentState::kUnspecified, "", 0, now));
  }
  return result;
}

absl::StatusOr<int64_t> EnrollmentRepository::OpenPlanBatch(
    db::Transaction& tx, int64_t plan_id, int plan_version, int64_t organization_id,
    int64_t after_id, const std::vector<int64_t>& members, absl::Time now) const {
  if (members.empty()) return 0;
  const int64_t last_id = members.back();
  ASSIGN_OR_RETURN(const std::optional<int64_t> existing,
                   tx.QueryInt64(kBatchExisting, {after_id, last_id, plan_id, plan_version}));
  const std::vector<db::Param> source = {organization_id, plan_id, plan_version, after_id, last_id};
  std::vector<db::Param> params = {now};
  params.insert(params.end(), source.begin(), source.end());
  ASSIGN_OR_RETURN(const uint64_t created,
                   tx.Execute(absl::StrCat(kBatchEnrollmentsPrefix, kBatchSource,
                                           " GROUP BY m.id, pc.course_id"),
                              params));
  RETURN_IF_ERROR(
      tx.Execute(absl::StrCat(kBatchReasonsPrefix, kBatchSource, kUpsertReasonSuffix), params)
          .status());
  // Enrolments that were there before (another plan's, an admin's, a withdrawn one) take
  // this plan's due date and requirement into account.
  if (existing.value_or(0) > 0) {
    std::vector<int64_t> courses;
    RETURN_IF_ERROR(tx.Query(kBatchCourses, {plan_id, plan_version},
                             [&](const db::Row& row) { courses.push_back(row.Int64(1)); }));
    for (const int64_t course : courses) {
      RETURN_IF_ERROR(Settle(tx, course, members, EnrollmentState::kUnspecified, "", 0, now));
    }
  }
  return static_cast<int64_t>(created);
}

absl::Status EnrollmentRepository::EndReasons(db::Transaction& tx,
                                              const std::vector<EnrollmentReason>& reasons,
                                              EnrollmentState end_state, const std::string& why,
                                              int64_t actor, absl::Time now) const {
  RETURN_IF_ERROR(db::ForEachBatch(reasons.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = {now};
    for (size_t i = begin; i < begin + size; ++i) {
      const EnrollmentReason& r = reasons[i];
      params.insert(params.end(), {r.member_id, r.course_id, static_cast<int>(r.kind), r.plan_id,
                                   static_cast<int>(r.category)});
    }
    const std::vector<std::string> keys(size, "(?, ?, ?, ?, ?)");
    return tx.Execute(absl::StrCat(kEndReasonsPrefix, absl::StrJoin(keys, ", "), ")"), params)
        .status();
  }));
  std::map<int64_t, std::vector<int64_t>> by_course;
  for (const EnrollmentReason& r : reasons) by_course[r.course_id].push_back(r.member_id);
  for (auto& [course, members] : by_course) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    RETURN_IF_ERROR(Settle(tx, course, members, end_state, why, actor, now));
  }
  return absl::OkStatus();
}

absl::Status EnrollmentRepository::EndPlanRequirement(db::Transaction& tx, int64_t plan_id,
                                                      MemberCategory category, int64_t course_id,
                                                      const std::string& why, int64_t actor,
                                                      absl::Time now) const {
  const int category_value = static_cast<int>(category);
  std::vector<int64_t> members;
  RETURN_IF_ERROR(tx.Query(kMembersOfPlanRequirement, {plan_id, category_value, course_id},
                           [&](const db::Row& row) { members.push_back(row.Int64(1)); }));
  RETURN_IF_ERROR(
      tx.Execute(kEndPlanRequirement, {now, plan_id, category_value, course_id}).status());
  return Settle(tx, course_id, members, EnrollmentState::kWithdrawn, why, actor, now);
}

absl::Status EnrollmentRepository::MovePlanDueDate(db::Transaction& tx, int64_t plan_id,
                                                   MemberCategory category, int64_t course_id,
                                                   absl::CivilDay due_date, absl::Time now) const {
  const int category_value = static_cast<int>(category);
  RETURN_IF_ERROR(
      tx.Execute(kMovePlanDue, {due_date, plan_id, category_value, course_id}).status());
  std::vector<int64_t> members;
  RETURN_IF_ERROR(tx.Query(kMembersOfPlanRequirement, {plan_id, category_value, course_id},
                           [&](const db::Row& row) { members.push_back(row.Int64(1)); }));
  return Settle(tx, course_id, members, EnrollmentState::kUnspecified, "", 0, now);
}

absl::Status EnrollmentRepository::Settle(db::Transaction& tx, int64_t course_id,
                                          const std::vector<int64_t>& members,
                                          EnrollmentState end_state, const std::string& why,
                                          int64_t actor, absl::Time now) const {
  if (members.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(ForMemberBatches(tx, kSettleSummaryPrefix, {course_id}, members));
  RETURN_IF_ERROR(ForMemberBatches(tx, kSettleReopenPrefix, {now, course_id}, members));
  if (end_state == EnrollmentState::kUnspecified) return absl::OkStatus();
  return ForMemberBatches(tx, kSettleEndPrefix,
                          {static_cast<int>(end_state), why, actor, now, course_id}, members);
}

absl::StatusOr<std::vector<EnrollmentReason>> EnrollmentRepository::OpenRequirementReasons(
    db::Transaction& tx, const std::vector<int64_t>& member_ids) const {
  std::vector<EnrollmentReason> reasons;
  RETURN_IF_ERROR(db::ForEachBatch(member_ids.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(member_ids.begin() + begin,
                                        member_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kOpenRequirementReasonsPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) { reasons.push_back(ReasonFromRow(row)); });
  }));
  return reasons;
}

absl::StatusOr<std::optional<Enrollment>> EnrollmentRepository::Find(db::Transaction& tx,
                                                                     int64_t id, bool lock) const {
  std::vector<Enrollment> found;
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat(kEnrollmentColumns, " WHERE id = ?", lock ? " FOR UPDATE" : ""), {id},
               [&](const db::Row& row) { found.push_back(EnrollmentFromRow(row)); }));
  if (found.empty()) return std::nullopt;
  RETURN_IF_ERROR(LoadReasons(tx, found));
  return found.front();
}

absl::StatusOr<std::optional<Enrollment>> EnrollmentRepository::FindByMemberAndCourse(
    db::Transaction& tx, int64_t member_id, int64_t course_id) const {
  std::vector<Enrollment> found;
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat(kEnrollmentColumns, " WHERE member_id = ? AND course_id = ?"),
               {member_id, course_id},
               [&](const db::Row& row) { found.push_back(EnrollmentFromRow(row)); }));
  if (found.empty()) return std::nullopt;
  RETURN_IF_ERROR(LoadReasons(tx, found));
  return found.front();
}

absl::StatusOr<std::optional<int64_t>> EnrollmentRepository::MemberOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const {
  return tx.QueryInt64(lock ? kMemberOfLocked : kMemberOf, {id});
}

absl::Status EnrollmentRepository::End(db::Transaction& tx, int64_t id, EnrollmentState state,
                                       const std::string& why, int64_t actor,
                                       absl::Time now) const {
  RETURN_IF_ERROR(tx.Execute(kEndAllReasons, {now, id}).status());
  RETURN_IF_ERROR(tx.Execute(kEnd, {static_cast<int>(state), why, actor, now, id}).status());
  return absl::OkStatus();
}

absl::StatusOr<EnrollmentRepository::RequiredCounts> EnrollmentRepository::CountRequired(
    db::Transaction& tx, int64_t member_id) const {
  RequiredCounts counts;
  RETURN_IF_ERROR(tx.Query(kCountRequired, {member_id}, [&](const db::Row& row) {
    counts.required = static_cast<int32_t>(row.Int64(1));
    counts.completed = static_cast<int32_t>(row.Int64(2));
  }));
  return counts;
}

absl::StatusOr<int64_t> EnrollmentRepository::CountPendingProgress(db::Transaction& tx,
                                                                   int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64("SELECT COUNT(*) FROM pending_progress_event"
                                 " WHERE member_id = ? AND state = 1",
                                 {member_id}));
  return count.value_or(0);
}

absl::StatusOr<std::vector<RecommendedRow>> EnrollmentRepository::Recommended(db::Transaction& tx,
                                                                              int64_t member_id,
                                                                              int year,
                                                                              int limit) const {
  std::map<int64_t, RecommendedRow> by_course;
  RETURN_IF_ERROR(
      tx.Query(kRecommended, {year, kCoursePublished, member_id}, [&](const db::Row& row) {
        const int64_t plan_id = row.Int64(2);
        auto [it, added] = by_course.try_emplace(row.Int64(1));
        if (added || plan_id < it->second.plan_id) {
          it->second = {row.Int64(1), row.String(3), row.Int64(4), plan_id};
        }
      }));
  std::vector<RecommendedRow> rows;
  for (auto& [course_id, row] : by_course) {
    if (static_cast<int>(rows.size()) == limit) break;
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<std::vector<LearningRow>> EnrollmentRepository::OpenLearning(
    db::Transaction& tx, int64_t member_id) const {
  std::vector<LearningRow> rows;
  RETURN_IF_ERROR(tx.Query(kOpenLearning, {member_id}, [&](const db::Row& row) {
    LearningRow item;
    item.entry.enrollment_id = row.Int64(1);
    item.entry.course_id = row.Int64(2);
    item.entry.required = row.Bool(3);
    item.entry.due_date = row.Day(4);
    item.entry.state = static_cast<EnrollmentState>(row.Int64(5));
    item.title = row.String(6);
    item.study_hundredths = row.Int64(7);
    rows.push_back(std::move(item));
  }));
  return rows;
}

absl::StatusOr<std::vector<Enrollment>> EnrollmentRepository::List(
    db::Transaction& tx, const EnrollmentFilter& filter) const {
  std::string sql;
  std::vector<db::Param> params;
  if (filter.member_id != 0) {
    sql = absl::StrCat(kEnrollmentColumns, " WHERE member_id = ? AND id > ?");
    params = {filter.member_id, filter.after_id};
  } else {
    // A course's enrolments in a subtree: walk the course's index in member order and
    // keep those whose member's organisation is in the subtree.
    sql = absl::StrCat(kEnrollmentColumns,
                       " WHERE course_id = ? AND id > ? AND member_id IN (SELECT m.id FROM"
                       " member m JOIN organization_closure c ON c.descendant_id ="
                       " m.organization_id WHERE c.ancestor_id = ?)");
    params = {filter.course_id, filter.after_id, filter.organization_id};
  }
  if (!filter.states.empty()) {
    absl::StrAppend(&sql, " AND state IN (", db::BindMarks(filter.states.size()), ")");
    for (const EnrollmentState state : filter.states) params.push_back(static_cast<int>(state));
  }
  absl::StrAppend(&sql, " ORDER BY id LIMIT ?");
  params.push_back(filter.limit);
  std::vector<Enrollment> page;
  RETURN_IF_ERROR(
      tx.Query(sql, params, [&](const db::Row& row) { page.push_back(EnrollmentFromRow(row)); }));
  RETURN_IF_ERROR(LoadReasons(tx, page));
  return page;
}

absl::Status EnrollmentRepository::LoadReasons(db::Transaction& tx,
                                               std::vector<Enrollment>& enrollments) const {
  if (enrollments.empty()) return absl::OkStatus();
  std::map<std::pair<int64_t, int64_t>, Enrollment*> by_pair;
  for (Enrollment& e : enrollments) by_pair[{e.member_id, e.course_id}] = &e;
  std::vector<std::pair<int64_t, int64_t>> keys;
  for (const auto& [key, unused] : by_pair) keys.push_back(key);
  RETURN_IF_ERROR(db::ForEachBatch(keys.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    std::vector<std::string> marks(size, "(?, ?)");
    for (size_t i = begin; i < begin + size; ++i) {
      params.push_back(keys[i].first);
      params.push_back(keys[i].second);
    }
    return tx.Query(
        absl::StrCat(kReasonsOfPrefix, absl::StrJoin(marks, ", "), ")"), params,
        [&](const db::Row& row) {
          EnrollmentReason reason = ReasonFromRow(row);
          by_pair[{reason.member_id, reason.course_id}]->reasons.push_back(std::move(reason));
        });
  }));
  for (Enrollment& e : enrollments) {
    std::sort(
        e.reasons.begin(), e.reasons.end(),
        [](const EnrollmentReason& a, const EnrollmentReason& b) {
          return std::make_tuple(!a.due_date.has_value(), a.due_date.value_or(absl::CivilDay()),
                                 static_cast<int>(a.kind), a.plan_id) <
                 std::make_tuple(!b.due_date.has_value(), b.due_date.value_or(absl::CivilDay()),
                                 static_cast<int>(b.kind), b.plan_id);
        });
  }
  return absl::OkStatus();
}

}  // namespace lms::enrollment
