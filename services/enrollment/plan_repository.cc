#include "services/enrollment/plan_repository.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {
namespace {

constexpr char kInsertPlan[] =
    "INSERT INTO training_plan (organization_id, year, state, version, published_version,"
    " created_by, create_time, update_time) VALUES (?, ?, ?, 1, 0, ?, ?, ?)";
constexpr char kPlanColumns[] =
    "SELECT p.id, p.organization_id, p.year, p.state, p.version, p.published_version,"
    " p.create_time, p.update_time, p.publish_time, p.close_time, p.assign_state,"
    " p.members_targeted, p.members_assigned, p.enrollments_created, p.assign_start_time,"
    " p.assign_finish_time, v.title, v.goals, v.start_date, v.end_date, v.forms_mask,"
    " p.assign_cursor"
    " FROM training_plan p JOIN plan_version v ON v.plan_id = p.id"
    " AND v.plan_version = p.published_version";
constexpr char kVersionHeader[] =
    "SELECT title, goals, start_date, end_date, forms_mask FROM plan_version"
    " WHERE plan_id = ? AND plan_version = ?";
constexpr char kCategories[] =
    "SELECT category, required_hundredths FROM plan_category WHERE plan_id = ?"
    " AND plan_version = ? ORDER BY category";
constexpr char kCourses[] =
    "SELECT category, course_id, required, due_date FROM plan_course WHERE plan_id = ?"
    " AND plan_version = ? ORDER BY category, required DESC, position";
constexpr char kSchedule[] =
    "SELECT day, title, form, content_category FROM plan_schedule_item WHERE plan_id = ?"
    " AND plan_version = ? ORDER BY position";
constexpr char kDeleteVersion[] = "DELETE FROM plan_version WHERE plan_id = ? AND plan_version = ?";
constexpr char kDeleteCategories[] =
    "DELETE FROM plan_category WHERE plan_id = ? AND plan_version = ?";
constexpr char kDeleteCourses[] = "DELETE FROM plan_course WHERE plan_id = ? AND plan_version = ?";
constexpr char kDeleteSchedule[] =
    "DELETE FROM plan_schedule_item WHERE plan_id = ? AND plan_version = ?";
constexpr char kInsertVersion[] =
    "INSERT INTO plan_version (plan_id, plan_version, title, goals, start_date, end_date,"
    " forms_mask, effective_date, change_reason, changed_by, change_time)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kInsertCategory[] =
    "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths)"
    " VALUES (?, ?, ?, ?)";
constexpr char kInsertCoursePrefix[] =
    "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
    " due_date, position) VALUES ";
constexpr char kInsertSchedulePrefix[] =
    "INSERT INTO plan_schedule_item (plan_id, plan_version, position, day, title, form,"
    " content_category) VALUES ";
constexpr char kSaveHeader[] =
    "UPDATE training_plan SET state = ?, version = ?, published_version = ?, update_time = ?,"
    " publish_time = ?, close_time = ? WHERE id = ?";
constexpr char kStartAssignment[] =
    "UPDATE training_plan SET assign_state = 2, assign_cursor = 0, members_targeted = ?,"
    " members_assigned = 0, enrollments_created = 0, assign_start_time = ?,"
    " assign_finish_time = NULL WHERE id = ?";
constexpr char kAdvanceAssignment[] =
    "UPDATE training_plan SET assign_cursor = ?, members_assigned = members_assigned + ?,"
    " enrollments_created = enrollments_created + ?, assign_state = IF(?, 3, 2),"
    " assign_finish_time = IF(?, ?, NULL) WHERE id = ?";
constexpr char kAssigning[] = "SELECT id FROM training_plan WHERE assign_state = 2 ORDER BY id";
constexpr char kVersions[] =
    "SELECT plan_version, effective_date, change_reason, changed_by, change_time"
    " FROM plan_version WHERE plan_id = ? AND plan_version > 0 ORDER BY plan_version DESC";
constexpr char kOrganizationOf[] = "SELECT organization_id FROM training_plan WHERE id = ?";
constexpr char kOrganizationOfLocked[] =
    "SELECT organization_id FROM training_plan WHERE id = ? LOCK IN SHARE MODE";
constexpr char kIdForYear[] = "SELECT id FROM training_plan WHERE organization_id = ? AND year = ?";
constexpr char kStateOf[] = "SELECT state FROM training_plan WHERE id = ?";
constexpr char kInForceOn[] =
    "SELECT p.id, p.organization_id, MAX(v.plan_version) FROM training_plan p"
    " JOIN plan_version v ON v.plan_id = p.id AND v.plan_version BETWEEN 1 AND"
    " p.published_version AND v.effective_date <= ? WHERE p.year = ? AND p.state IN (2, 3)"
    " GROUP BY p.id, p.organization_id ORDER BY p.id";
constexpr char kCoveringManyPrefix[] =
    "SELECT c.descendant_id, p.id, p.organization_id, p.year, p.published_version"
    " FROM organization_closure c JOIN training_plan p ON p.organization_id = c.ancestor_id"
    " WHERE p.state = 2 AND p.year >= ? AND c.descendant_id IN (";

// One column of bits, 1 << value, for a small enum set.
template <typename Enum>
int64_t MaskOf(const std::vector<Enum>& values) {
  int64_t mask = 0;
  for (const Enum value : values) mask |= int64_t{1} << static_cast<int>(value);
  return mask;
}

std::vector<TrainingForm> FormsFromMask(int64_t mask) {
  std::vector<TrainingForm> forms;
  for (int value = 1; value <= kMaxTrainingForm; ++value) {
    if ((mask & (int64_t{1} << value)) != 0) forms.push_back(static_cast<TrainingForm>(value));
  }
  return forms;
}

// Hundredths of an hour, or NULL (the settings' default).
db::Param HoursOrNull(const std::optional<int64_t>& hundredths) {
  if (!hundredths.has_value()) return db::Param(nullptr);
  return db::Param(*hundredths);
}

TrainingPlan PlanFromRow(const db::Row& row) {
  TrainingPlan plan;
  plan.id = row.Int64(1);
  plan.organization_id = row.Int64(2);
  plan.year = static_cast<int>(row.Int64(3));
  plan.state = static_cast<PlanState>(row.Int64(4));
  plan.version = row.Int64(5);
  plan.published_version = static_cast<int>(row.Int64(6));
  plan.create_time = row.Time(7);
  plan.update_time = row.Time(8);
  plan.publish_time = row.Time(9);
  plan.close_time = row.Time(10);
  plan.assignment.state = static_cast<AssignmentState>(row.Int64(11));
  plan.assignment.members_targeted = row.Int64(12);
  plan.assignment.members_assigned = row.Int64(13);
  plan.assignment.enrollments_created = row.Int64(14);
  plan.assignment.start_time = row.Time(15);
  plan.assignment.finish_time = row.Time(16);
  plan.title = row.String(17);
  plan.goals = row.String(18);
  plan.start_date = row.Day(19);
  plan.end_date = row.Day(20);
  plan.forms = FormsFromMask(row.Int64(21));
  plan.assignment.cursor = row.Int64(22);
  return plan;
}

}  // namespace

absl::StatusOr<int64_t> PlanRepository::Insert(db::Transaction& tx, const TrainingPlan& plan,
                                               int64_t actor, absl::Time now) const {
  ASSIGN_OR_RETURN(const int64_t id,
                   tx.Insert(kInsertPlan, {plan.organization_id, plan.year,
                                           static_cast<int>(PlanState::kDraft), actor, now, now}));
  TrainingPlan stored = plan;
  stored.id = id;
  PlanVersionInfo info;
  info.changed_by = actor;
  info.change_time = now;
  RETURN_IF_ERROR(WriteContent(tx, stored, 0, info));
  return id;
}

absl::StatusOr<std::optional<TrainingPlan>> PlanRepository::Find(db::Transaction& tx, int64_t id,
                                                                 bool lock) const {
  std::optional<TrainingPlan> plan;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kPlanColumns, " WHERE p.id = ?", lock ? " FOR UPDATE" : ""),
                           {id}, [&](const db::Row& row) { plan = PlanFromRow(row); }));
  if (!plan.has_value()) return plan;
  RETURN_IF_ERROR(LoadContent(tx, *plan, plan->published_version));
  return plan;
}

absl::StatusOr<TrainingPlan> PlanRepository::FindVersion(db::Transaction& tx, int64_t id,
                                                         int published_version) const {
  ASSIGN_OR_RETURN(std::optional<TrainingPlan> plan, Find(tx, id, false));
  if (!plan.has_value()) return absl::NotFoundError(absl::StrCat("plan ", id, " not found"));
  if (published_version > plan->published_version || published_version < 1) {
    return absl::NotFoundError(
        absl::StrCat("plan ", id, " has no published version ", published_version));
  }
  bool found = false;
  RETURN_IF_ERROR(tx.Query(kVersionHeader, {id, published_version}, [&](const db::Row& row) {
    found = true;
    plan->title = row.String(1);
    plan->goals = row.String(2);
    plan->start_date = row.Day(3);
    plan->end_date = row.Day(4);
    plan->forms = FormsFromMask(row.Int64(5));
  }));
  if (!found) return absl::NotFoundError(absl::StrCat("plan ", id, " version not found"));
  plan->published_version = published_version;
  plan->requirements.clear();
  plan->schedule.clear();
  RETURN_IF_ERROR(LoadContent(tx, *plan, published_version));
  return *plan;
}

absl::Status PlanRepository::LoadRequirements(db::Transaction& tx, TrainingPlan& plan,
                                              int version) const {
  std::map<int, CategoryRequirement> by_category;
  RETURN_IF_ERROR(tx.Query(kCategories, {plan.id, version}, [&](const db::Row& row) {
    CategoryRequirement& requirement = by_category[static_cast<int>(row.Int64(1))];
    requirement.category = static_cast<MemberCategory>(row.Int64(1));
    if (!row.IsNull(2)) requirement.required_hundredths = row.Int64(2);
  }));
  RETURN_IF_ERROR(tx.Query(kCourses, {plan.id, version}, [&](const db::Row& row) {
    CategoryRequirement& requirement = by_category[static_cast<int>(row.Int64(1))];
    if (row.Bool(3)) {
      requirement.required_courses.push_back({row.Int64(2), row.Day(4).value_or(absl::CivilDay())});
    } else {
      requirement.recommended_course_ids.push_back(row.Int64(2));
    }
  }));
  for (auto& [unused, requirement] : by_category)
    plan.requirements.push_back(std::move(requirement));
  return absl::OkStatus();
}

absl::Status PlanRepository::LoadContent(db::Transaction& tx, TrainingPlan& plan,
                                         int version) const {
  RETURN_IF_ERROR(LoadRequirements(tx, plan, version));
  return tx.Query(kSchedule, {plan.id, version}, [&](const db::Row& row) {
    ScheduleItem item;
    item.date = row.Day(1).value_or(absl::CivilDay());
    item.title = row.String(2);
    item.form = static_cast<TrainingForm>(row.Int64(3));
    item.content_category = static_cast<ContentCategory>(row.Int64(4));
    plan.schedule.push_back(std::move(item));
  });
}

absl::Status PlanRepository::WriteContent(db::Transaction& tx, const TrainingPlan& plan,
                                          int version, const PlanVersionInfo& info) const {
  for (const char* sql : {kDeleteSchedule, kDeleteCourses, kDeleteCategories, kDeleteVersion}) {
    RETURN_IF_ERROR(tx.Execute(sql, {plan.id, version}).status());
  }
  RETURN_IF_ERROR(
      tx.Execute(kInsertVersion,
                 {plan.id, version, plan.title, plan.goals, db::Param::DayOrNull(plan.start_date),
                  db::Param::DayOrNull(plan.end_date), MaskOf(plan.forms),
                  db::Param::DayOrNull(info.effective_date), info.change_reason, info.changed_by,
                  info.change_time})
          .status());
  std::vector<db::Param> course_rows;
  size_t courses = 0;
  for (const CategoryRequirement& requirement : plan.requirements) {
    const int category = static_cast<int>(requirement.category);
    const db::Param hours = HoursOrNull(requirement.required_hundredths);
    RETURN_IF_ERROR(tx.Execute(kInsertCategory, {plan.id, version, category, hours}).status());
    int position = 0;
    for (const RequiredCourse& course : requirement.required_courses) {
      course_rows.insert(course_rows.end(), {plan.id, version, category, course.course_id, 1,
                                             course.due_date, position++});
      ++courses;
    }
    for (const int64_t course_id : requirement.recommended_course_ids) {
      course_rows.insert(course_rows.end(),
                         {plan.id, version, category, course_id, 0, nullptr, position++});
      ++courses;
    }
  }
  constexpr size_t kCourseColumns = 7;
  RETURN_IF_ERROR(db::ForEachBatch(courses, [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(course_rows.begin() + begin * kCourseColumns,
                                        course_rows.begin() + (begin + size) * kCourseColumns);
    const std::vector<std::string> marks(size, "(?, ?, ?, ?, ?, ?, ?)");
    return tx.Execute(absl::StrCat(kInsertCoursePrefix, absl::StrJoin(marks, ", ")), params)
        .status();
  }));
  return db::ForEachBatch(plan.schedule.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    for (size_t i = begin; i < begin + size; ++i) {
      const ScheduleItem& item = plan.schedule[i];
      params.insert(params.end(),
                    {plan.id, version, static_cast<int64_t>(i), item.date, item.title,
                     static_cast<int>(item.form), static_cast<int>(item.content_category)});
    }
    const std::vector<std::string> marks(size, "(?, ?, ?, ?, ?, ?, ?)");
    return tx.Execute(absl::StrCat(kInsertSchedulePrefix, absl::StrJoin(marks, ", ")), params)
        .status();
  });
}

absl::Status PlanRepository::SaveHeader(db::Transaction& tx, const TrainingPlan& plan) const {
  return tx
      .Execute(kSaveHeader, {static_cast<int>(plan.state), plan.version, plan.published_version,
                             plan.update_time, db::Param::TimeOrNull(plan.publish_time),
                             db::Param::TimeOrNull(plan.close_time), plan.id})
      .status();
}

absl::Status PlanRepository::StartAssignment(db::Transaction& tx, int64_t plan_id, int64_t targeted,
                                             absl::Time now) const {
  return tx.Execute(kStartAssignment, {targeted, now, plan_id}).status();
}

absl::Status PlanRepository::AdvanceAssignment(db::Transaction& tx, int64_t plan_id,
                                               const AssignmentStep& step, absl::Time now) const {
  return tx
      .Execute(kAdvanceAssignment,
               {step.cursor, step.members, step.created, db::Param::Bool(step.done),
                db::Param::Bool(step.done), now, plan_id})
      .status();
}

absl::StatusOr<std::vector<int64_t>> PlanRepository::Assigning(db::Transaction& tx) const {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(
      tx.Query(kAssigning, {}, [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
  return ids;
}

absl::StatusOr<std::vector<PlanVersionInfo>> PlanRepository::Versions(db::Transaction& tx,
                                                                      int64_t plan_id) const {
  std::vector<PlanVersionInfo> versions;
  RETURN_IF_ERROR(tx.Query(kVersions, {plan_id}, [&](const db::Row& row) {
    PlanVersionInfo info;
    info.published_version = static_cast<int>(row.Int64(1));
    info.effective_date = row.Day(2);
    info.change_reason = row.String(3);
    info.changed_by = row.Int64(4);
    info.change_time = row.Time(5);
    versions.push_back(std::move(info));
  }));
  return versions;
}

absl::StatusOr<std::vector<TrainingPlan>> PlanRepository::List(db::Transaction& tx,
                                                               const PlanFilter& filter) const {
  std::string sql =
      absl::StrCat(kPlanColumns, " JOIN organization_closure c ON ",
                   filter.covering ? "c.ancestor_id = p.organization_id AND c.descendant_id = ?"
                                   : "c.descendant_id = p.organization_id AND c.ancestor_id = ?",
                   " WHERE p.id > ?");
  std::vector<db::Param> params = {filter.organization_id, filter.after_id};
  if (filter.year != 0) {
    absl::StrAppend(&sql, " AND p.year = ?");
    params.push_back(filter.year);
  }
  if (!filter.states.empty()) {
    absl::StrAppend(&sql, " AND p.state IN (", db::BindMarks(filter.states.size()), ")");
    for (const PlanState state : filter.states) params.push_back(static_cast<int>(state));
  }
  absl::StrAppend(&sql, " ORDER BY p.id LIMIT ?");
  params.push_back(filter.limit);
  std::vector<TrainingPlan> plans;
  RETURN_IF_ERROR(
      tx.Query(sql, params, [&](const db::Row& row) { plans.push_back(PlanFromRow(row)); }));
  return plans;
}

absl::StatusOr<std::optional<int64_t>> PlanRepository::OrganizationOf(db::Transaction& tx,
                                                                      int64_t id, bool lock) const {
  return tx.QueryInt64(lock ? kOrganizationOfLocked : kOrganizationOf, {id});
}

absl::StatusOr<std::optional<int64_t>> PlanRepository::IdForYear(db::Transaction& tx,
                                                                 int64_t organization_id,
                                                                 int year) const {
  return tx.QueryInt64(kIdForYear, {organization_id, year});
}

absl::StatusOr<std::optional<PlanState>> PlanRepository::StateOf(db::Transaction& tx,
                                                                 int64_t id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> state, tx.QueryInt64(kStateOf, {id}));
  if (!state.has_value()) return std::nullopt;
  return static_cast<PlanState>(*state);
}

absl::StatusOr<std::vector<PlanRequirements>> PlanRepository::InForceOn(db::Transaction& tx,
                                                                        int year,
                                                                        absl::CivilDay day) const {
  std::vector<std::pair<PlanRequirements, int>> found;
  RETURN_IF_ERROR(tx.Query(kInForceOn, {day, year}, [&](const db::Row& row) {
    PlanRequirements plan;
    plan.plan_id = row.Int64(1);
    plan.organization_id = row.Int64(2);
    plan.year = year;
    found.emplace_back(std::move(plan), static_cast<int>(row.Int64(3)));
  }));
  std::vector<PlanRequirements> plans;
  for (auto& [plan, version] : found) {
    TrainingPlan content;
    content.id = plan.plan_id;
    RETURN_IF_ERROR(LoadRequirements(tx, content, version));
    plan.requirements = std::move(content.requirements);
    plan.version = version;
    plans.push_back(std::move(plan));
  }
  return plans;
}

absl::StatusOr<absl::flat_hash_map<int64_t, std::vector<PlanRequirements>>>
PlanRepository::CoveringMany(db::Transaction& tx, const std::vector<int64_t>& organization_ids,
                             int from_year) const {
  // (organisation, plan) pairs, and each plan with the version in force.
  std::vector<std::pair<int64_t, int64_t>> covers;
  std::map<int64_t, std::pair<PlanRequirements, int>> plans;
  RETURN_IF_ERROR(db::ForEachBatch(organization_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = {from_year};
    params.insert(params.end(), organization_ids.begin() + begin,
                  organization_ids.begin() + begin + size);
    return tx.Query(absl::StrCat(kCoveringManyPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) {
                      covers.emplace_back(row.Int64(1), row.Int64(2));
                      auto& [plan, version] = plans[row.Int64(2)];
                      plan.plan_id = row.Int64(2);
                      plan.organization_id = row.Int64(3);
                      plan.year = static_cast<int>(row.Int64(4));
                      version = static_cast<int>(row.Int64(5));
                    });
  }));
  for (auto& [id, entry] : plans) {
    TrainingPlan content;
    content.id = id;
    RETURN_IF_ERROR(LoadRequirements(tx, content, entry.second));
    entry.first.requirements = std::move(content.requirements);
  }
  absl::flat_hash_map<int64_t, std::vector<PlanRequirements>> covering;
  for (const int64_t organization : organization_ids) covering[organization];
  // In plan id order per organisation, as before.
  std::sort(covers.begin(), covers.end());
  for (const auto& [organization, plan_id] : covers) {
    covering[organization].push_back(plans[plan_id].first);
  }
  return covering;
}

}  // namespace lms::enrollment
