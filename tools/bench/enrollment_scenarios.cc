#include "tools/bench/enrollment_scenarios.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/db/batches.h"
#include "common/db/run_transaction.h"
#include "common/time/china_time.h"

namespace lms::bench {
namespace {

// The reference insert: the enrolment rows themselves, as a plan's job would write them.
constexpr char kReferenceInsertPrefix[] =
    "INSERT INTO enrollment (member_id, course_id, state, required, due_date, enroll_time)"
    " VALUES ";
constexpr char kReferenceRow[] = "(?, ?, 1, 1, ?, UTC_TIMESTAMP(6))";

// "My learning" as raw SQL, in three round trips: the member with the hours every
// published plan covering them sets per category; their open enrolments with course
// titles and hours; the electives their plans recommend that they have not taken up.
constexpr char kLearningMemberAndHours[] =
    "SELECT m.organization_id, m.category_mask, m.status, m.join_date, p.id,"
    " pc.category, pc.required_hundredths FROM member m"
    " LEFT JOIN (organization_closure c JOIN training_plan p ON p.organization_id = c.ancestor_id"
    " AND p.state = 2 AND p.year = ? JOIN plan_category pc ON pc.plan_id = p.id"
    " AND pc.plan_version = p.published_version) ON c.descendant_id = m.organization_id"
    " WHERE m.id = ?";
constexpr char kLearningItems[] =
    "SELECT e.id, e.course_id, e.required, e.due_date, e.state, c.title, c.study_hours_centi"
    " FROM enrollment e JOIN course c ON c.id = e.course_id"
    " WHERE e.member_id = ? AND e.state IN (1, 2)";
constexpr char kLearningRecommended[] =
    "SELECT pc.course_id, p.id, c.title, c.study_hours_centi FROM member m"
    " JOIN organization_closure cl ON cl.descendant_id = m.organization_id"
    " JOIN training_plan p ON p.organization_id = cl.ancestor_id AND p.state = 2 AND p.year = ?"
    " JOIN plan_course pc ON pc.plan_id = p.id AND pc.plan_version = p.published_version"
    " AND pc.required = 0 AND (m.category_mask & (1 << pc.category)) <> 0"
    " JOIN course c ON c.id = pc.course_id AND c.state = 2"
    " WHERE m.id = ? AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.member_id = m.id"
    " AND e.course_id = pc.course_id)";

absl::Time Later() { return absl::Now() + absl::Minutes(5); }

std::unique_ptr<grpc::ClientContext> Context(const std::string& authorization) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", authorization);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

int ThisYear() { return static_cast<int>(TodayInChina(absl::Now()).year()); }

absl::Status Execute(db::ConnectionPool& pool, const std::string& sql,
                     const std::vector<db::Param>& params) {
  return db::RunTransaction(pool, Later(),
                            [&](db::Transaction& tx) { return tx.Execute(sql, params).status(); });
}

}  // namespace

absl::StatusOr<EnrollmentFixture> MakeFixture(db::ConnectionPool& pool, const std::string& code,
                                              int members, int courses) {
  EnrollmentFixture fixture;
  absl::Status made = db::RunTransaction(pool, Later(), [&](db::Transaction& tx) -> absl::Status {
    const absl::StatusOr<std::optional<int64_t>> root = tx.QueryInt64(
        "SELECT id FROM organization WHERE parent_id IS NULL ORDER BY id LIMIT 1", {});
    if (!root.ok()) return root.status();
    if (!root->has_value()) return absl::FailedPreconditionError("no root organisation");
    absl::StatusOr<int64_t> id = tx.Insert(
        "INSERT INTO organization (parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (?, ?, ?, 3, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        {**root, absl::StrCat("压测支部 ", code), code});
    if (!id.ok()) return id.status();
    fixture.organization_id = *id;
    absl::Status s = tx.Execute(
                           "INSERT INTO organization_closure (ancestor_id, descendant_id, depth)"
                           " SELECT ancestor_id, ?, depth + 1 FROM organization_closure"
                           " WHERE descendant_id = ? UNION ALL SELECT ?, ?, 0",
                           {*id, **root, *id, *id})
                         .status();
    if (!s.ok()) return s;
    for (int i = 0; i < courses; ++i) {
      absl::StatusOr<int64_t> course = tx.Insert(
          "INSERT INTO course (title, summary, cover_url, content_category, audience_mask,"
          " study_hours_centi, state, version, change_seq, created_by, create_time, update_time,"
          " publish_time) VALUES (?, '', '', 1, 0, 100, 2, 1, 0, 1, UTC_TIMESTAMP(6),"
          " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
          {absl::StrCat("压测课程 ", code, " ", i + 1)});
      if (!course.ok()) return course.status();
      fixture.course_ids.push_back(*course);
    }
    return absl::OkStatus();
  });
  if (!made.ok()) return made;
  // Members in 1,000-row statements, a transaction each.
  for (int first = 0; first < members; first += 1000) {
    const int count = std::min(1000, members - first);
    std::vector<db::Param> params;
    std::vector<std::string> rows(
        static_cast<size_t>(count),
        "('压测党员', ?, ?, 2, 1, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
    for (int i = first; i < first + count; ++i) {
      params.push_back(absl::StrCat(code, "-", i));
      params.push_back(fixture.organization_id);
    }
    if (absl::Status s = Execute(
            pool,
            absl::StrCat("INSERT INTO member (name, member_number, organization_id, category_mask,"
                         " status, version, create_time, update_time) VALUES ",
                         absl::StrJoin(rows, ", ")),
            params);
        !s.ok()) {
      return s;
    }
  }
  absl::Status listed = db::RunTransaction(pool, Later(), [&](db::Transaction& tx) {
    fixture.member_ids.clear();
    return tx.Query("SELECT id FROM member WHERE organization_id = ? ORDER BY id",
                    {fixture.organization_id},
                    [&](const db::Row& row) { fixture.member_ids.push_back(row.Int64(1)); });
  });
  if (!listed.ok()) return listed;
  return fixture;
}

absl::Status DropFixture(db::ConnectionPool& pool, const EnrollmentFixture& fixture) {
  const int64_t org = fixture.organization_id;
  // Rows go in slices of members, so no statement outlasts max_statement_time: a bench
  // run leaves thousands of progress events a member.
  constexpr size_t kDropSlice = 50;
  for (const char* table :
       {"enrollment_reason", "enrollment", "progress_event", "study_interval", "lesson_progress",
        "course_progress", "hours_credit", "member_year_hours", "member_year_study",
        "member_progress", "pending_progress_event", "offline_evidence"}) {
    for (size_t begin = 0; begin < fixture.member_ids.size(); begin += kDropSlice) {
      const size_t end = std::min(fixture.member_ids.size(), begin + kDropSlice);
      if (absl::Status s =
              Execute(pool,
                      absl::StrCat("DELETE FROM ", table,
                                   " WHERE member_id BETWEEN ? AND ? AND member_id IN"
                                   " (SELECT id FROM member WHERE organization_id = ?)"),
                      {fixture.member_ids[begin], fixture.member_ids[end - 1], org});
          !s.ok()) {
        return s;
      }
    }
  }
  for (const char* table : {"plan_schedule_item", "plan_course", "plan_category", "plan_version"}) {
    if (absl::Status s = Execute(pool,
                                 absl::StrCat("DELETE FROM ", table,
                                              " WHERE plan_id IN (SELECT id FROM training_plan"
                                              " WHERE organization_id = ?)"),
                                 {org});
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& sql :
       {std::string("DELETE FROM training_plan WHERE organization_id = ?"),
        std::string("DELETE FROM member WHERE organization_id = ?"),
        std::string("DELETE FROM kiosk WHERE organization_id = ?"),
        std::string("DELETE FROM organization_closure WHERE descendant_id = ?"),
        std::string("DELETE FROM organization WHERE id = ?")}) {
    if (absl::Status s = Execute(pool, sql, {org}); !s.ok()) return s;
  }
  for (const int64_t course : fixture.course_ids) {
    for (const char* sql :
         {"DELETE FROM lesson WHERE course_id = ?", "DELETE FROM course WHERE id = ?"}) {
      if (absl::Status s = Execute(pool, sql, {course}); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TrainingPlan> PublishFixturePlan(v1::EnrollmentService::Stub& stub,
                                                    const std::string& authorization,
                                                    const EnrollmentFixture& fixture,
                                                    int64_t hundredths) {
  v1::CreatePlanRequest create;
  v1::TrainingPlan* plan = create.mutable_plan();
  plan->set_organization_id(fixture.organization_id);
  plan->set_year(ThisYear());
  plan->set_title("压测计划");
  v1::CategoryRequirement* requirement = plan->add_requirements();
  requirement->set_category(v1::MEMBER_CATEGORY_ORDINARY);
  requirement->mutable_required_hours()->set_hundredths(hundredths);
  for (size_t i = 0; i < fixture.course_ids.size(); ++i) {
    v1::RequiredCourse* course = requirement->add_required_courses();
    course->set_course_id(fixture.course_ids[i]);
    course->mutable_due_date()->set_year(ThisYear());
    course->mutable_due_date()->set_month(12);
    course->mutable_due_date()->set_day(static_cast<int>(1 + i % 28));
  }
  v1::TrainingPlan created;
  grpc::Status status = stub.CreatePlan(Context(authorization).get(), create, &created);
  if (!status.ok()) return FromGrpc(status, "CreatePlan");
  v1::PublishPlanRequest publish;
  publish.set_plan_id(created.id());
  publish.set_expected_version(created.version());
  v1::TrainingPlan current;
  status = stub.PublishPlan(Context(authorization).get(), publish, &current);
  if (!status.ok()) return FromGrpc(status, "PublishPlan");
  v1::GetPlanRequest get;
  get.set_plan_id(created.id());
  while (current.assignment().state() != v1::PlanAssignment::STATE_DONE) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = stub.GetPlan(Context(authorization).get(), get, &current);
    if (!status.ok()) return FromGrpc(status, "GetPlan");
  }
  return current;
}

int RunPublishScenario(db::ConnectionPool& pool, v1::EnrollmentService::Stub& stub,
                       const std::string& authorization, int members, int courses) {
  const absl::Time setup_start = absl::Now();
  const absl::StatusOr<EnrollmentFixture> fixture = MakeFixture(
      pool, absl::StrCat("BENCH-P", absl::ToUnixSeconds(absl::Now())), members, courses);
  if (!fixture.ok()) {
    std::cerr << "publish: cannot make the fixture: " << fixture.status() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat("publish        setup      %d members, %d courses in %.1f s\n",
                               members, courses, absl::ToDoubleSeconds(absl::Now() - setup_start));
  // R: the same enrolment rows, 1,000 to a statement, a transaction per 1,000 members.
  const std::string due = absl::StrCat(ThisYear(), "-12-01");
  const absl::Time reference_start = absl::Now();
  absl::Status reference = absl::OkStatus();
  const std::vector<int64_t>& ids = fixture->member_ids;
  for (size_t begin = 0; begin < ids.size() && reference.ok(); begin += 1000) {
    const size_t end = std::min(ids.size(), begin + 1000);
    reference = db::RunTransaction(pool, Later(), [&](db::Transaction& tx) -> absl::Status {
      std::vector<db::Param> params;
      for (size_t m = begin; m < end; ++m) {
        for (const int64_t course : fixture->course_ids) {
          params.insert(params.end(), {ids[m], course, due});
        }
      }
      return db::ForEachBatch(params.size() / 3, [&](size_t first, size_t size) {
        const std::vector<db::Param> slice(params.begin() + first * 3,
                                           params.begin() + (first + size) * 3);
        const std::vector<std::string> rows(size, kReferenceRow);
        return tx.Execute(absl::StrCat(kReferenceInsertPrefix, absl::StrJoin(rows, ", ")), slice)
            .status();
      });
    });
  }
  const absl::Duration reference_time = absl::Now() - reference_start;
  int failed = 0;
  if (!reference.ok()) {
    std::cerr << "publish: the reference insert failed: " << reference << "\n";
    failed = 1;
  }
  const double rows = static_cast<double>(ids.size() * fixture->course_ids.size());
  if (failed == 0) {
    // Away with R's rows (not timed), then S: the plan through the server.
    for (size_t begin = 0; begin < ids.size(); begin += 1000) {
      const size_t end = std::min(ids.size(), begin + 1000);
      (void)Execute(pool,
                    "DELETE FROM enrollment WHERE member_id BETWEEN ? AND ? AND member_id IN"
                    " (SELECT id FROM member WHERE organization_id = ?)",
                    {ids[begin], ids[end - 1], fixture->organization_id});
    }
    const absl::Time start = absl::Now();
    const absl::StatusOr<v1::TrainingPlan> plan =
        PublishFixturePlan(stub, authorization, *fixture, 3200);
    const absl::Duration server_time = absl::Now() - start;
    if (!plan.ok()) {
      std::cerr << "publish: " << plan.status() << "\n";
      failed = 1;
    } else {
      const double r_rate = rows / absl::ToDoubleSeconds(reference_time);
      const double s_rate = static_cast<double>(plan->assignment().enrollments_created()) /
                            absl::ToDoubleSeconds(server_time);
      std::cout << absl::StrFormat(
          "publish        R sql      %10.0f rows/s  %.1f s  (1,000-row INSERTs of the %d "
          "enrolments, a transaction per 1,000 members)\n",
          r_rate, absl::ToDoubleSeconds(reference_time), static_cast<int>(rows));
      std::cout << absl::StrFormat(
          "publish        S server   %10.0f rows/s  %.1f s  (CreatePlan + PublishPlan until "
          "DONE: %d enrolments, %d reasons, %d/%d members)\n",
          s_rate, absl::ToDoubleSeconds(server_time),
          static_cast<int>(plan->assignment().enrollments_created()),
          static_cast<int>(plan->assignment().enrollments_created()),
          plan->assignment().members_assigned(), plan->assignment().members_targeted());
      std::cout << absl::StrFormat("publish        RESULT     S/R %.2f   end to end %.1f s\n",
                                   s_rate / r_rate, absl::ToDoubleSeconds(server_time));
    }
  }
  if (absl::Status dropped = DropFixture(pool, *fixture); !dropped.ok()) {
    std::cerr << "publish: cleaning up: " << dropped << "\n";
    failed = 1;
  }
  return failed;
}

absl::StatusOr<MyLearningLoad> MyLearningFor(v1::EnrollmentService::Stub& stub,
                                             const std::string& authorization,
                                             const EnrollmentFixture& fixture) {
  const absl::StatusOr<v1::TrainingPlan> plan =
      PublishFixturePlan(stub, authorization, fixture, 4000);
  if (!plan.ok()) return plan.status();
  MyLearningLoad load;
  for (const int64_t member : fixture.member_ids) {
    v1::GetMyLearningRequest request;
    request.set_member_id(member);
    load.requests.push_back(request.SerializeAsString());
  }
  v1::GetMyLearningRequest sample;
  sample.set_member_id(fixture.member_ids.front());
  v1::MyLearning answer;
  const grpc::Status status = stub.GetMyLearning(Context(authorization).get(), sample, &answer);
  if (!status.ok()) return FromGrpc(status, "GetMyLearning");
  load.response_bytes = answer.ByteSizeLong();
  auto next = std::make_shared<std::atomic<size_t>>(0);
  const int year = ThisYear();
  load.sql = [members = fixture.member_ids, next, year](db::Transaction& tx) -> absl::Status {
    const int64_t member = members[(*next)++ % members.size()];
    int rows = 0;
    absl::Status s =
        tx.Query(kLearningMemberAndHours, {year, member}, [&](const db::Row&) { ++rows; });
    if (!s.ok()) return s;
    s = tx.Query(kLearningItems, {member}, [&](const db::Row&) { ++rows; });
    if (!s.ok()) return s;
    return tx.Query(kLearningRecommended, {year, member}, [&](const db::Row&) { ++rows; });
  };
  return load;
}

}  // namespace lms::bench
