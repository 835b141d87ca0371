// Plans and enrolments through a real gRPC channel against a real database: publishing
// in the background, the union of three levels of plans, published edits, idempotent
// publishing across a kill, the outbox reactions (join, category gain, transfer, move),
// admin and self enrolment, withdrawal and waiver, and "my learning".

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/enrollment/enrollment_repository.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/plan_assigner.h"
#include "services/enrollment/plan_repository.h"
#include "tests/testing/test_server.h"

namespace lms::enrollment {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int64_t kBranchA = 2;
constexpr int64_t kBranchB = 3;
constexpr int64_t kA1 = 4;  // under A
constexpr int kYear = 2026;
// Published courses 901-906; 907 is a draft.
constexpr int64_t kDraftCourse = 907;

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

class EnrollmentApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("enrollment_api");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (4, 2, '甲一支部', 'A1', 3, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES"
        " (4, 4, 0), (2, 4, 1), (1, 4, 2)");
    for (int64_t id = 901; id <= 906; ++id) {
      testing::SeedPublishedCourse(db, id, absl::StrCat("课程", id), 100 * (id - 900));
    }
    testing::SeedPublishedCourse(db, kDraftCourse, "草稿课程");
    db.Execute("UPDATE course SET state = 1 WHERE id = 907");
  }
  static void TearDownTestSuite() { delete server_; }

  void SetUp() override {
    // Each test starts from no plans and no enrolments; members stay (numbers are unique
    // per test through the serial).
    auto& db = server_->database();
    for (const char* table : {"enrollment_reason", "enrollment", "plan_schedule_item",
                              "plan_course", "plan_category", "plan_version", "training_plan"}) {
      db.Execute(absl::StrCat("DELETE FROM ", table));
    }
    // Earlier tests' members leave the picture: plans target only this test's.
    db.Execute("UPDATE member SET status = 3");
  }

  static std::string SystemAdmin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static std::string AdminOf(int64_t organization) {
    return server_->Token(Role::kOrgAdmin, 1, organization);
  }
  static std::string MemberToken(int64_t member_id, int64_t organization) {
    return server_->Token(Role::kMember, member_id, organization);
  }

  // A member created through the organisation API (so its outbox event exists).
  static v1::Member NewMember(int64_t organization, std::vector<v1::MemberCategory> categories,
                              v1::Date join_date = Day(2010, 7, 1)) {
    v1::CreateMemberRequest request;
    v1::Member* member = request.mutable_member();
    member->set_name("学员");
    member->set_member_number(absl::StrCat("E", ++serial_));
    member->set_organization_id(organization);
    for (const v1::MemberCategory category : categories) member->add_categories(category);
    *member->mutable_join_date() = join_date;
    v1::Member created;
    const grpc::Status status = server_->organizations().CreateMember(
        server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  static v1::CategoryRequirement* Require(v1::TrainingPlan& plan, v1::MemberCategory category,
                                          std::optional<int64_t> hundredths = std::nullopt) {
    v1::CategoryRequirement* requirement = plan.add_requirements();
    requirement->set_category(category);
    if (hundredths.has_value()) requirement->mutable_required_hours()->set_hundredths(*hundredths);
    return requirement;
  }
  static void AddCourse(v1::CategoryRequirement* requirement, int64_t course, v1::Date due) {
    v1::RequiredCourse* required = requirement->add_required_courses();
    required->set_course_id(course);
    *required->mutable_due_date() = due;
  }

  static grpc::Status CreatePlan(const std::string& token, const v1::TrainingPlan& plan,
                                 v1::TrainingPlan* created) {
    v1::CreatePlanRequest request;
    *request.mutable_plan() = plan;
    return server_->enrollment().CreatePlan(server_->Context(token).get(), request, created);
  }
  static grpc::Status Publish(const v1::TrainingPlan& plan, v1::TrainingPlan* published) {
    v1::PublishPlanRequest request;
    request.set_plan_id(plan.id());
    request.set_expected_version(plan.version());
    return server_->enrollment().PublishPlan(server_->Context(SystemAdmin()).get(), request,
                                             published);
  }
  // Creates and publishes a plan, and runs the assignment job to its end.
  static v1::TrainingPlan MustPublish(const v1::TrainingPlan& plan) {
    v1::TrainingPlan created;
    grpc::Status status = CreatePlan(SystemAdmin(), plan, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::TrainingPlan published;
    status = Publish(created, &published);
    EXPECT_TRUE(status.ok()) << status.error_message();
    server_->RunTaskNow("plan_assignment");
    return GetPlan(published.id());
  }
  static v1::TrainingPlan GetPlan(int64_t id, int version = 0) {
    v1::GetPlanRequest request;
    request.set_plan_id(id);
    request.set_published_version(version);
    v1::TrainingPlan plan;
    const grpc::Status status =
        server_->enrollment().GetPlan(server_->Context(SystemAdmin()).get(), request, &plan);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return plan;
  }
  static v1::TrainingPlan PlanOf(int64_t organization, const std::string& title) {
    v1::TrainingPlan plan;
    plan.set_organization_id(organization);
    plan.set_year(kYear);
    plan.set_title(title);
    return plan;
  }

  static v1::MyLearning Learning(int64_t member_id, int64_t organization) {
    v1::GetMyLearningRequest request;
    v1::MyLearning learning;
    const grpc::Status status = server_->enrollment().GetMyLearning(
        server_->Context(MemberToken(member_id, organization)).get(), request, &learning);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return learning;
  }
  static std::vector<v1::Enrollment> EnrollmentsOf(int64_t member_id) {
    v1::ListEnrollmentsRequest request;
    request.set_member_id(member_id);
    request.set_page_size(100);
    v1::ListEnrollmentsResponse response;
    const grpc::Status status = server_->enrollment().ListEnrollments(
        server_->Context(SystemAdmin()).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.enrollments().begin(), response.enrollments().end()};
  }
  // A copy: callers pass the temporary list EnrollmentsOf returns.
  static std::optional<v1::Enrollment> Find(const std::vector<v1::Enrollment>& all,
                                            int64_t course) {
    for (const v1::Enrollment& e : all) {
      if (e.course_id() == course) return e;
    }
    return std::nullopt;
  }
  static int64_t Count(const std::string& sql, std::vector<db::Param> params = {}) {
    return server_->database().QueryInt(sql, std::move(params));
  }

  static testing::TestServer* server_;
  static int serial_;
};
testing::TestServer* EnrollmentApiTest::server_ = nullptr;
int EnrollmentApiTest::serial_ = 0;

TEST_F(EnrollmentApiTest, MembersOweTheUnionOfThreeLevelsOfPlans) {
  const v1::Member ordinary = NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY});
  const v1::Member secretary =
      NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY, v1::MEMBER_CATEGORY_BRANCH_SECRETARY});
  const v1::Member elsewhere = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});

  v1::TrainingPlan committee = PlanOf(kRoot, "公司党委2026年度党员教育培训计划");
  AddCourse(Require(committee, v1::MEMBER_CATEGORY_ORDINARY, 4000), 901, Day(kYear, 12, 20));
  v1::TrainingPlan branch = PlanOf(kBranchA, "甲支部计划");
  v1::CategoryRequirement* branch_ordinary = Require(branch, v1::MEMBER_CATEGORY_ORDINARY);
  AddCourse(branch_ordinary, 901, Day(kYear, 12, 10));
  AddCourse(branch_ordinary, 902, Day(kYear, 12, 31));
  AddCourse(Require(branch, v1::MEMBER_CATEGORY_BRANCH_SECRETARY, 6000), 903, Day(kYear, 12, 15));
  v1::TrainingPlan group = PlanOf(kA1, "甲一支部计划");
  AddCourse(Require(group, v1::MEMBER_CATEGORY_ORDINARY), 904, Day(kYear + 1, 1, 31));

  const v1::TrainingPlan committee_done = MustPublish(committee);
  const v1::TrainingPlan branch_done = MustPublish(branch);
  MustPublish(group);
  EXPECT_EQ(committee_done.assignment().state(), v1::PlanAssignment::STATE_DONE);
  EXPECT_EQ(committee_done.assignment().members_targeted(), 3);
  EXPECT_EQ(committee_done.assignment().members_assigned(), 3);
  EXPECT_EQ(committee_done.assignment().enrollments_created(), 3);

  // The ordinary member: 901 by the earliest date (A's), with both plans as reasons.
  const std::vector<v1::Enrollment> mine = EnrollmentsOf(ordinary.id());
  ASSERT_EQ(mine.size(), 3u);
  const std::optional<v1::Enrollment> shared = Find(mine, 901);
  ASSERT_TRUE(shared.has_value());
  EXPECT_TRUE(shared->required());
  EXPECT_EQ(shared->due_date().day(), 10);
  ASSERT_EQ(shared->reasons_size(), 2);
  EXPECT_EQ(shared->reasons(0).plan_id(), branch_done.id());
  EXPECT_EQ(shared->reasons(1).plan_id(), committee_done.id());
  EXPECT_TRUE(Find(mine, 902).has_value());
  EXPECT_TRUE(Find(mine, 904).has_value());
  EXPECT_FALSE(Find(mine, 903).has_value());
  // The secretary also owes 903; B's member only the committee's course.
  EXPECT_EQ(EnrollmentsOf(secretary.id()).size(), 4u);
  const std::vector<v1::Enrollment> theirs = EnrollmentsOf(elsewhere.id());
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].course_id(), 901);
  EXPECT_EQ(theirs[0].due_date().day(), 20);

  // Hours: the highest of every plan and category that covers them, with its source.
  const v1::MyLearning learning = Learning(secretary.id(), kA1);
  EXPECT_EQ(learning.hours().required_hours().hundredths(), 6000);
  EXPECT_EQ(learning.hours().plan_id(), branch_done.id());
  EXPECT_EQ(learning.hours().category(), v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  EXPECT_EQ(Learning(ordinary.id(), kA1).hours().required_hours().hundredths(), 4000);
  // By urgency: due soonest first; each item carries its course's title and hours.
  ASSERT_EQ(learning.items_size(), 4);
  EXPECT_EQ(learning.items(0).course_id(), 901);
  EXPECT_EQ(learning.items(1).course_id(), 903);
  EXPECT_EQ(learning.items(2).course_id(), 902);
  EXPECT_EQ(learning.items(3).course_id(), 904);
  EXPECT_EQ(learning.items(0).title(), "课程901");
  EXPECT_EQ(learning.items(1).study_hours().hundredths(), 300);
}

TEST_F(EnrollmentApiTest, AJoinerOwesHoursProRataByWholeMonthsLeft) {
  // Joined on 10 May: June to December are whole months left, 7 of 12.
  const v1::Member joiner =
      NewMember(kBranchB, {v1::MEMBER_CATEGORY_PROBATIONARY}, Day(kYear, 5, 10));
  v1::TrainingPlan plan = PlanOf(kBranchB, "乙支部计划");
  Require(plan, v1::MEMBER_CATEGORY_PROBATIONARY, 2400);
  const v1::TrainingPlan published = MustPublish(plan);
  const v1::MyLearning learning = Learning(joiner.id(), kBranchB);
  EXPECT_TRUE(learning.hours().pro_rata());
  EXPECT_EQ(learning.hours().required_hours().hundredths(), 1400);
  EXPECT_EQ(learning.hours().plan_id(), published.id());
}

TEST_F(EnrollmentApiTest, PublishingTwiceAtOnceAndAKillMidwayEnrolEachMemberOnce) {
  for (int i = 0; i < 5; ++i) NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  const int64_t targeted =
      Count("SELECT COUNT(*) FROM member WHERE organization_id = 3 AND status = 1");
  v1::TrainingPlan plan = PlanOf(kBranchB, "乙支部计划");
  v1::CategoryRequirement* requirement = Require(plan, v1::MEMBER_CATEGORY_ORDINARY);
  AddCourse(requirement, 905, Day(kYear, 12, 31));
  AddCourse(requirement, 906, Day(kYear, 12, 31));
  v1::TrainingPlan created;
  ASSERT_TRUE(CreatePlan(SystemAdmin(), plan, &created).ok());

  // Two publications of the same version at once: both succeed, one job.
  grpc::Status first;
  grpc::Status second;
  v1::TrainingPlan a;
  v1::TrainingPlan b;
  std::thread one([&] { first = Publish(created, &a); });
  std::thread two([&] { second = Publish(created, &b); });
  one.join();
  two.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_TRUE(second.ok()) << second.error_message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_version WHERE plan_id = ? AND plan_version > 0",
                  {created.id()}),
            1);

  // A job that did two members and was killed: a fresh assigner (a restarted server)
  // resumes after the last committed batch.
  const PlanRepository plans;
  const EnrollmentRepository enrollments;
  const MemberDirectory members;
  const PlanAssigner killed(server_->runtime().pool(), server_->clock(), plans, enrollments,
                            members, /*members_per_batch=*/2);
  ASSERT_TRUE(killed.RunBatch(created.id(), absl::Now() + absl::Seconds(10)).ok());
  const v1::TrainingPlan midway = GetPlan(created.id());
  if (midway.assignment().state() == v1::PlanAssignment::STATE_ASSIGNING) {
    EXPECT_GE(midway.assignment().members_assigned(), 2);
    EXPECT_LT(midway.assignment().members_assigned(), targeted);
  }
  server_->RunTaskNow("plan_assignment");
  server_->RunTaskNow("plan_assignment");
  const v1::TrainingPlan done = GetPlan(created.id());
  EXPECT_EQ(done.assignment().state(), v1::PlanAssignment::STATE_DONE);
  EXPECT_EQ(done.assignment().members_targeted(), targeted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment WHERE course_id IN (905, 906)"), 2 * targeted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_reason WHERE plan_id = ?", {created.id()}),
            2 * targeted);

  // Publishing again later changes nothing.
  v1::TrainingPlan again;
  ASSERT_TRUE(Publish(done, &again).ok());
  server_->RunTaskNow("plan_assignment");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment WHERE course_id IN (905, 906)"), 2 * targeted);
}

TEST_F(EnrollmentApiTest, APublishedEditAddsAtOnceAndRemovesOnlyWithAReason) {
  const v1::Member member = NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::TrainingPlan committee = PlanOf(kRoot, "党委计划");
  AddCourse(Require(committee, v1::MEMBER_CATEGORY_ORDINARY), 901, Day(kYear, 12, 20));
  MustPublish(committee);
  v1::TrainingPlan branch = PlanOf(kBranchA, "甲支部计划");
  v1::CategoryRequirement* requirement = Require(branch, v1::MEMBER_CATEGORY_ORDINARY, 3200);
  AddCourse(requirement, 901, Day(kYear, 12, 10));
  AddCourse(requirement, 902, Day(kYear, 12, 10));
  v1::TrainingPlan published = MustPublish(branch);

  // Added a course, a later due date, higher hours: no reason needed, applied at once.
  v1::TrainingPlan edited = published;
  edited.mutable_requirements(0)->mutable_required_hours()->set_hundredths(4000);
  *edited.mutable_requirements(0)->mutable_required_courses(1)->mutable_due_date() =
      Day(kYear, 12, 30);
  AddCourse(edited.mutable_requirements(0), 903, Day(kYear, 12, 31));
  v1::UpdatePlanRequest update;
  update.set_plan_id(published.id());
  update.set_expected_version(published.version());
  *update.mutable_plan() = edited;
  v1::TrainingPlan second;
  grpc::Status status =
      server_->enrollment().UpdatePlan(server_->Context(SystemAdmin()).get(), update, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.published_version(), 2);
  server_->RunTaskNow("plan_assignment");
  std::vector<v1::Enrollment> mine = EnrollmentsOf(member.id());
  ASSERT_TRUE(Find(mine, 903).has_value());
  EXPECT_EQ(Find(mine, 902)->due_date().day(), 30);

  // Removing both courses: refused without a reason, nothing changed.
  v1::TrainingPlan reduced = second;
  reduced.mutable_requirements(0)->clear_required_courses();
  AddCourse(reduced.mutable_requirements(0), 903, Day(kYear, 12, 31));
  update.set_expected_version(second.version());
  *update.mutable_plan() = reduced;
  v1::TrainingPlan third;
  status = server_->enrollment().UpdatePlan(server_->Context(SystemAdmin()).get(), update, &third);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("change_reason"), std::string::npos);
  EXPECT_EQ(GetPlan(published.id()).version(), second.version());

  update.set_change_reason("上级调整学习内容");
  status = server_->enrollment().UpdatePlan(server_->Context(SystemAdmin()).get(), update, &third);
  ASSERT_TRUE(status.ok()) << status.error_message();
  mine = EnrollmentsOf(member.id());
  // 902 only this plan required: withdrawn with the reason. 901 the committee still
  // requires: open, now due on the committee's date.
  EXPECT_EQ(Find(mine, 902)->state(), v1::ENROLLMENT_STATE_WITHDRAWN);
  EXPECT_NE(Find(mine, 902)->state_reason().find("上级调整学习内容"), std::string::npos);
  EXPECT_EQ(Find(mine, 901)->state(), v1::ENROLLMENT_STATE_NOT_STARTED);
  EXPECT_EQ(Find(mine, 901)->due_date().day(), 20);
  ASSERT_EQ(Find(mine, 901)->reasons_size(), 1);

  // Every published version is kept with its date; version 1 still reads as it stood.
  v1::ListPlanVersionsRequest versions_request;
  versions_request.set_plan_id(published.id());
  v1::ListPlanVersionsResponse versions;
  ASSERT_TRUE(
      server_->enrollment()
          .ListPlanVersions(server_->Context(SystemAdmin()).get(), versions_request, &versions)
          .ok());
  ASSERT_EQ(versions.versions_size(), 3);
  EXPECT_EQ(versions.versions(0).change_reason(), "上级调整学习内容");
  EXPECT_EQ(GetPlan(published.id(), 1).requirements(0).required_courses_size(), 2);
  EXPECT_EQ(GetPlan(published.id(), 1).requirements(0).required_hours().hundredths(), 3200);
}

TEST_F(EnrollmentApiTest, MemberChangesReachEnrolmentsThroughTheOutbox) {
  v1::TrainingPlan plan = PlanOf(kBranchA, "甲支部计划");
  AddCourse(Require(plan, v1::MEMBER_CATEGORY_ORDINARY), 901, Day(kYear, 12, 31));
  AddCourse(Require(plan, v1::MEMBER_CATEGORY_BRANCH_SECRETARY), 903, Day(kYear, 12, 31));
  MustPublish(plan);
  v1::TrainingPlan other = PlanOf(kBranchB, "乙支部计划");
  AddCourse(Require(other, v1::MEMBER_CATEGORY_ORDINARY), 905, Day(kYear, 12, 31));
  MustPublish(other);

  // Joins A1 after publication.
  v1::Member joiner = NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY});
  server_->RunTaskNow("enrollment_outbox");
  ASSERT_EQ(EnrollmentsOf(joiner.id()).size(), 1u);

  // Becomes a branch secretary.
  v1::UpdateMemberRequest update;
  *update.mutable_member() = joiner;
  update.mutable_member()->add_categories(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  update.set_expected_version(joiner.version());
  grpc::Status status =
      server_->organizations().UpdateMember(server_->Context(SystemAdmin()).get(), update, &joiner);
  ASSERT_TRUE(status.ok()) << status.error_message();
  server_->RunTaskNow("enrollment_outbox");
  ASSERT_TRUE(Find(EnrollmentsOf(joiner.id()), 903).has_value());

  // Transfers to B: A's requirements end as transferred out (kept), B's arrive.
  v1::TransferMemberRequest transfer;
  transfer.set_member_id(joiner.id());
  transfer.set_target_organization_id(kBranchB);
  transfer.set_expected_version(joiner.version());
  status = server_->organizations().TransferMember(server_->Context(SystemAdmin()).get(), transfer,
                                                   &joiner);
  ASSERT_TRUE(status.ok()) << status.error_message();
  server_->RunTaskNow("enrollment_outbox");
  const std::vector<v1::Enrollment> after = EnrollmentsOf(joiner.id());
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(Find(after, 901)->state(), v1::ENROLLMENT_STATE_TRANSFERRED_OUT);
  EXPECT_EQ(Find(after, 903)->state(), v1::ENROLLMENT_STATE_TRANSFERRED_OUT);
  EXPECT_EQ(Find(after, 905)->state(), v1::ENROLLMENT_STATE_NOT_STARTED);

  // Another run of the consumer changes nothing (every event is delivered once, and
  // reconciling twice is harmless anyway).
  const int64_t reasons = Count("SELECT COUNT(*) FROM enrollment_reason");
  server_->RunTaskNow("enrollment_outbox");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_reason"), reasons);
}

TEST_F(EnrollmentApiTest, AnOrganisationMovedUnderAnotherPlanGetsItsRequirements) {
  const v1::Member member = NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::TrainingPlan plan = PlanOf(kBranchB, "乙支部计划");
  AddCourse(Require(plan, v1::MEMBER_CATEGORY_ORDINARY), 906, Day(kYear, 12, 31));
  MustPublish(plan);
  EXPECT_FALSE(Find(EnrollmentsOf(member.id()), 906).has_value());

  v1::GetOrganizationRequest get;
  get.set_organization_id(kA1);
  v1::Organization a1;
  ASSERT_TRUE(server_->organizations()
                  .GetOrganization(server_->Context(SystemAdmin()).get(), get, &a1)
                  .ok());
  v1::MoveOrganizationRequest move;
  move.set_organization_id(kA1);
  move.set_new_parent_id(kBranchB);
  move.set_expected_version(a1.version());
  ASSERT_TRUE(server_->organizations()
                  .MoveOrganization(server_->Context(SystemAdmin()).get(), move, &a1)
                  .ok());
  server_->RunTaskNow("enrollment_outbox");
  const std::optional<v1::Enrollment> moved = Find(EnrollmentsOf(member.id()), 906);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->state(), v1::ENROLLMENT_STATE_NOT_STARTED);

  // And back under A: B's requirement ends as transferred out.
  move.set_new_parent_id(kBranchA);
  move.set_expected_version(a1.version());
  ASSERT_TRUE(server_->organizations()
                  .MoveOrganization(server_->Context(SystemAdmin()).get(), move, &a1)
                  .ok());
  server_->RunTaskNow("enrollment_outbox");
  EXPECT_EQ(Find(EnrollmentsOf(member.id()), 906)->state(), v1::ENROLLMENT_STATE_TRANSFERRED_OUT);
}

TEST_F(EnrollmentApiTest, AdminsEnrolNumbersAndReportEachOneTheyCouldNot) {
  const v1::Member in_a = NewMember(kBranchA, {v1::MEMBER_CATEGORY_ORDINARY});
  const v1::Member in_b = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::EnrollMembersRequest request;
  request.set_course_id(904);
  for (const std::string& number :
       {in_a.member_number(), in_b.member_number(), std::string("NOBODY"), std::string("坏号"),
        in_a.member_number()}) {
    request.mutable_members()->add_member_numbers(number);
  }
  *request.mutable_due_date() = Day(kYear + 1, 3, 1);
  v1::EnrollMembersResponse response;
  grpc::Status status = server_->enrollment().EnrollMembers(
      server_->Context(AdminOf(kBranchA)).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.enrolled(), 1);
  ASSERT_EQ(response.errors_size(), 4);
  std::map<std::string, v1::MemberNumberError::Problem> problems;
  for (const auto& error : response.errors()) problems[error.member_number()] = error.problem();
  EXPECT_EQ(problems[in_b.member_number()], v1::MemberNumberError::PROBLEM_OUTSIDE_SUBTREE);
  EXPECT_EQ(problems["NOBODY"], v1::MemberNumberError::PROBLEM_UNKNOWN);
  EXPECT_EQ(problems["坏号"], v1::MemberNumberError::PROBLEM_MALFORMED);
  EXPECT_EQ(problems[in_a.member_number()], v1::MemberNumberError::PROBLEM_REPEATED);
  EXPECT_FALSE(Find(EnrollmentsOf(in_b.id()), 904).has_value());

  // Again: already enrolled, nothing doubled.
  response.Clear();
  ASSERT_TRUE(server_->enrollment()
                  .EnrollMembers(server_->Context(AdminOf(kBranchA)).get(), request, &response)
                  .ok());
  EXPECT_EQ(response.enrolled(), 0);
  EXPECT_EQ(response.already_enrolled(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment WHERE member_id = ?", {in_a.id()}), 1);

  // A draft course takes no enrolments.
  request.set_course_id(kDraftCourse);
  status = server_->enrollment().EnrollMembers(server_->Context(AdminOf(kBranchA)).get(), request,
                                               &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EnrollmentApiTest, AdminsEnrolACategoryOfASubtree) {
  const v1::Member secretary = NewMember(kBranchB, {v1::MEMBER_CATEGORY_BRANCH_SECRETARY});
  const v1::Member ordinary = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::EnrollMembersRequest request;
  request.set_course_id(903);
  request.mutable_subtree()->set_organization_id(kBranchB);
  request.mutable_subtree()->add_categories(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  v1::EnrollMembersResponse response;
  const grpc::Status status = server_->enrollment().EnrollMembers(
      server_->Context(AdminOf(kBranchB)).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(response.enrolled(), 1);
  EXPECT_TRUE(Find(EnrollmentsOf(secretary.id()), 903).has_value());
  EXPECT_FALSE(Find(EnrollmentsOf(ordinary.id()), 903).has_value());
}

TEST_F(EnrollmentApiTest, MembersChooseElectivesAndWithdrawOnlyTheirOwnChoices) {
  const v1::Member member = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  const std::string token = MemberToken(member.id(), kBranchB);
  v1::EnrollSelfRequest self;
  self.set_course_id(906);
  v1::Enrollment first;
  ASSERT_TRUE(server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &first).ok());
  v1::Enrollment again;
  ASSERT_TRUE(server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_FALSE(first.required());
  self.set_course_id(kDraftCourse);
  EXPECT_EQ(
      server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &again).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  self.set_course_id(999);
  EXPECT_EQ(
      server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &again).error_code(),
      grpc::StatusCode::NOT_FOUND);

  // An admin requires 905 of them: the member cannot withdraw that one.
  v1::EnrollMembersRequest assign;
  assign.set_course_id(905);
  assign.mutable_members()->add_member_numbers(member.member_number());
  v1::EnrollMembersResponse assigned;
  ASSERT_TRUE(server_->enrollment()
                  .EnrollMembers(server_->Context(AdminOf(kBranchB)).get(), assign, &assigned)
                  .ok());
  const std::optional<v1::Enrollment> required = Find(EnrollmentsOf(member.id()), 905);
  ASSERT_TRUE(required.has_value());
  v1::WithdrawEnrollmentRequest withdraw;
  withdraw.set_enrollment_id(required->id());
  withdraw.set_reason("不想学");
  v1::Enrollment ended;
  EXPECT_EQ(server_->enrollment()
                .WithdrawEnrollment(server_->Context(token).get(), withdraw, &ended)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  withdraw.set_reason("");
  EXPECT_EQ(server_->enrollment()
                .WithdrawEnrollment(server_->Context(token).get(), withdraw, &ended)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Their own elective, yes; and once ended, it stays ended.
  withdraw.set_enrollment_id(first.id());
  withdraw.set_reason("换一门");
  ASSERT_TRUE(server_->enrollment()
                  .WithdrawEnrollment(server_->Context(token).get(), withdraw, &ended)
                  .ok());
  EXPECT_EQ(ended.state(), v1::ENROLLMENT_STATE_WITHDRAWN);
  EXPECT_EQ(ended.state_reason(), "换一门");
  EXPECT_EQ(server_->enrollment()
                .WithdrawEnrollment(server_->Context(token).get(), withdraw, &ended)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // A retry of a withdrawal whose answer was lost (same request id) gets that answer.
  const v1::Member other = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  const std::string other_token = MemberToken(other.id(), kBranchB);
  v1::Enrollment chosen;
  self.set_course_id(906);
  ASSERT_TRUE(
      server_->enrollment().EnrollSelf(server_->Context(other_token).get(), self, &chosen).ok());
  withdraw.set_request_id("withdraw-once");
  withdraw.set_enrollment_id(chosen.id());
  v1::Enrollment first_answer;
  v1::Enrollment retried;
  ASSERT_TRUE(server_->enrollment()
                  .WithdrawEnrollment(server_->Context(other_token).get(), withdraw, &first_answer)
                  .ok());
  ASSERT_TRUE(server_->enrollment()
                  .WithdrawEnrollment(server_->Context(other_token).get(), withdraw, &retried)
                  .ok());
  EXPECT_EQ(retried.state(), v1::ENROLLMENT_STATE_WITHDRAWN);
  EXPECT_EQ(retried.state_change_time().seconds(), first_answer.state_change_time().seconds());
  withdraw.clear_request_id();

  // An admin waives the requirement; "my learning" lists neither any more.
  v1::WaiveEnrollmentRequest waive;
  waive.set_enrollment_id(required->id());
  waive.set_reason("长期病假");
  ASSERT_TRUE(server_->enrollment()
                  .WaiveEnrollment(server_->Context(AdminOf(kBranchB)).get(), waive, &ended)
                  .ok());
  EXPECT_EQ(ended.state(), v1::ENROLLMENT_STATE_WAIVED);
  EXPECT_EQ(Learning(member.id(), kBranchB).items_size(), 0);

  // Choosing the withdrawn elective again reopens it.
  self.set_course_id(906);
  ASSERT_TRUE(server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.state(), v1::ENROLLMENT_STATE_NOT_STARTED);
}

// The course ids "my learning" recommends.
std::vector<int64_t> RecommendedIds(const v1::MyLearning& learning) {
  std::vector<int64_t> ids;
  for (const v1::RecommendedCourse& course : learning.recommended()) {
    ids.push_back(course.course_id());
  }
  return ids;
}

TEST_F(EnrollmentApiTest, MyLearningRecommendsTheElectivesOfTheirPlansNotYetTakenUp) {
  const v1::Member ordinary = NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY});
  const v1::Member secretary =
      NewMember(kA1, {v1::MEMBER_CATEGORY_ORDINARY, v1::MEMBER_CATEGORY_BRANCH_SECRETARY});
  const v1::Member elsewhere = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});

  // The committee: ordinary members must take 901 and may take 903 and 904; secretaries
  // may take 905. Branch A also recommends 904 and 906 to its ordinary members.
  v1::TrainingPlan committee = PlanOf(kRoot, "公司党委计划");
  v1::CategoryRequirement* committee_ordinary = Require(committee, v1::MEMBER_CATEGORY_ORDINARY);
  AddCourse(committee_ordinary, 901, Day(kYear, 12, 20));
  committee_ordinary->add_recommended_course_ids(904);
  committee_ordinary->add_recommended_course_ids(903);
  Require(committee, v1::MEMBER_CATEGORY_BRANCH_SECRETARY)->add_recommended_course_ids(905);
  const v1::TrainingPlan committee_plan = MustPublish(committee);
  v1::TrainingPlan branch = PlanOf(kBranchA, "甲支部计划");
  v1::CategoryRequirement* branch_ordinary = Require(branch, v1::MEMBER_CATEGORY_ORDINARY);
  branch_ordinary->add_recommended_course_ids(904);
  branch_ordinary->add_recommended_course_ids(906);
  const v1::TrainingPlan branch_plan = MustPublish(branch);
  ASSERT_LT(committee_plan.id(), branch_plan.id());

  const v1::MyLearning learning = Learning(ordinary.id(), kA1);
  EXPECT_EQ(RecommendedIds(learning), (std::vector<int64_t>{903, 904, 906}));
  ASSERT_EQ(learning.recommended_size(), 3);
  EXPECT_EQ(learning.recommended(0).title(), "课程903");
  EXPECT_EQ(learning.recommended(0).study_hours().hundredths(), 300);
  // Recommended by both plans: named by the first.
  EXPECT_EQ(learning.recommended(1).plan_id(), committee_plan.id());
  EXPECT_EQ(learning.recommended(2).plan_id(), branch_plan.id());
  // The required course is in the items, not among the recommendations.
  ASSERT_EQ(learning.items_size(), 1);
  EXPECT_EQ(learning.items(0).course_id(), 901);

  EXPECT_EQ(RecommendedIds(Learning(secretary.id(), kA1)),
            (std::vector<int64_t>{903, 904, 905, 906}));
  EXPECT_EQ(RecommendedIds(Learning(elsewhere.id(), kBranchB)), (std::vector<int64_t>{903, 904}));

  // Taken up, a recommendation becomes an item; withdrawn, it is not recommended again.
  v1::EnrollSelfRequest self;
  self.set_course_id(903);
  v1::Enrollment chosen;
  const std::string token = MemberToken(ordinary.id(), kA1);
  ASSERT_TRUE(server_->enrollment().EnrollSelf(server_->Context(token).get(), self, &chosen).ok());
  EXPECT_EQ(RecommendedIds(Learning(ordinary.id(), kA1)), (std::vector<int64_t>{904, 906}));
  v1::WithdrawEnrollmentRequest withdraw;
  withdraw.set_enrollment_id(chosen.id());
  withdraw.set_reason("时间冲突");
  v1::Enrollment ended;
  ASSERT_TRUE(server_->enrollment()
                  .WithdrawEnrollment(server_->Context(token).get(), withdraw, &ended)
                  .ok());
  EXPECT_EQ(RecommendedIds(Learning(ordinary.id(), kA1)), (std::vector<int64_t>{904, 906}));
  // An unpublished course is not recommended, even if a plan named it while published.
  server_->database().Execute("UPDATE course SET state = 1 WHERE id = 906");
  EXPECT_EQ(RecommendedIds(Learning(ordinary.id(), kA1)), (std::vector<int64_t>{904}));
  server_->database().Execute("UPDATE course SET state = 2 WHERE id = 906");
}

TEST_F(EnrollmentApiTest, MembersListTheirOwnEnrolmentsOnlyAndAdminsACoursesInTheirSubtree) {
  const v1::Member mine = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  const v1::Member other = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::EnrollMembersRequest assign;
  assign.set_course_id(905);
  assign.mutable_subtree()->set_organization_id(kBranchB);
  v1::EnrollMembersResponse assigned;
  ASSERT_TRUE(server_->enrollment()
                  .EnrollMembers(server_->Context(AdminOf(kBranchB)).get(), assign, &assigned)
                  .ok());
  v1::ListEnrollmentsRequest by_course;
  by_course.set_organization_id(kBranchB);
  by_course.set_course_id(905);
  by_course.set_page_size(1);
  v1::ListEnrollmentsResponse listed;
  EXPECT_EQ(server_->enrollment()
                .ListEnrollments(server_->Context(MemberToken(mine.id(), kBranchB)).get(),
                                 by_course, &listed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An admin pages through both.
  std::set<int64_t> members;
  do {
    listed.Clear();
    ASSERT_TRUE(server_->enrollment()
                    .ListEnrollments(server_->Context(AdminOf(kBranchB)).get(), by_course, &listed)
                    .ok());
    for (const v1::Enrollment& e : listed.enrollments()) members.insert(e.member_id());
    by_course.set_page_token(listed.next_page_token());
  } while (!listed.next_page_token().empty());
  EXPECT_EQ(members, (std::set<int64_t>{mine.id(), other.id()}));
  // A member's own list: theirs alone.
  v1::ListEnrollmentsRequest own;
  listed.Clear();
  ASSERT_TRUE(
      server_->enrollment()
          .ListEnrollments(server_->Context(MemberToken(mine.id(), kBranchB)).get(), own, &listed)
          .ok());
  ASSERT_EQ(listed.enrollments_size(), 1);
  EXPECT_EQ(listed.enrollments(0).member_id(), mine.id());
}

TEST_F(EnrollmentApiTest, OnePlanPerOrganisationAndYearAndMembersNeverSeeDrafts) {
  v1::TrainingPlan created;
  ASSERT_TRUE(CreatePlan(SystemAdmin(), PlanOf(kBranchB, "乙支部计划"), &created).ok());
  v1::TrainingPlan twin;
  const grpc::Status status = CreatePlan(SystemAdmin(), PlanOf(kBranchB, "又一个"), &twin);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM training_plan"), 1);

  const v1::Member member = NewMember(kBranchB, {v1::MEMBER_CATEGORY_ORDINARY});
  v1::GetPlanRequest get;
  get.set_plan_id(created.id());
  v1::TrainingPlan seen;
  EXPECT_EQ(server_->enrollment()
                .GetPlan(server_->Context(MemberToken(member.id(), kBranchB)).get(), get, &seen)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListPlansRequest list;
  v1::ListPlansResponse listed;
  ASSERT_TRUE(
      server_->enrollment()
          .ListPlans(server_->Context(MemberToken(member.id(), kBranchB)).get(), list, &listed)
          .ok());
  EXPECT_EQ(listed.plans_size(), 0);
  // A plan of the current year cannot be closed yet.
  v1::ClosePlanRequest close;
  close.set_plan_id(created.id());
  close.set_expected_version(created.version());
  EXPECT_EQ(server_->enrollment()
                .ClosePlan(server_->Context(SystemAdmin()).get(), close, &seen)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// Bad input for CreatePlan: the exact code, and nothing written.
struct BadPlanCase {
  std::string name;
  std::function<void(v1::TrainingPlan&)> spoil;
  grpc::StatusCode code;
};

class CreatePlanBadInputTest : public EnrollmentApiTest,
                               public ::testing::WithParamInterface<BadPlanCase> {};

TEST_P(CreatePlanBadInputTest, IsRefusedWithItsCodeAndWritesNothing) {
  v1::TrainingPlan plan = PlanOf(kBranchA, "甲支部计划");
  AddCourse(Require(plan, v1::MEMBER_CATEGORY_ORDINARY), 901, Day(kYear, 12, 31));
  GetParam().spoil(plan);
  v1::TrainingPlan created;
  const grpc::Status status = CreatePlan(SystemAdmin(), plan, &created);
  EXPECT_EQ(status.error_code(), GetParam().code) << status.error_message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM training_plan"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_course"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, CreatePlanBadInputTest,
    ::testing::Values(
        BadPlanCase{"no_title", [](auto& p) { p.set_title(""); },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"year_out_of_range", [](auto& p) { p.set_year(1999); },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"no_organization", [](auto& p) { p.set_organization_id(0); },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"unknown_organization", [](auto& p) { p.set_organization_id(99); },
                    grpc::StatusCode::NOT_FOUND},
        BadPlanCase{"unknown_course",
                    [](auto& p) {
                      p.mutable_requirements(0)->mutable_required_courses(0)->set_course_id(999);
                    },
                    grpc::StatusCode::NOT_FOUND},
        BadPlanCase{"due_date_outside_the_year",
                    [](auto& p) {
                      *p.mutable_requirements(0)->mutable_required_courses(0)->mutable_due_date() =
                          Day(kYear + 2, 1, 1);
                    },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"due_date_missing",
                    [](auto& p) {
                      p.mutable_requirements(0)->mutable_required_courses(0)->clear_due_date();
                    },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"repeated_category", [](auto& p) { *p.add_requirements() = p.requirements(0); },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"hours_too_high",
                    [](auto& p) {
                      p.mutable_requirements(0)->mutable_required_hours()->set_hundredths(100'001);
                    },
                    grpc::StatusCode::INVALID_ARGUMENT},
        BadPlanCase{"unknown_category",
                    [](auto& p) {
                      p.mutable_requirements(0)->set_category(static_cast<v1::MemberCategory>(42));
                    },
                    grpc::StatusCode::INVALID_ARGUMENT}),
    [](const ::testing::TestParamInfo<BadPlanCase>& info) { return info.param.name; });

}  // namespace
}  // namespace lms::enrollment
