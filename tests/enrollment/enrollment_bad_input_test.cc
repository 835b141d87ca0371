// Bad input for every RPC of the enrolment service: the exact status code, and nothing
// written to any of its tables. One table of cases, each a request wrong in one way
// (CreatePlan's own table is in enrollment_api_test).

#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "tests/testing/test_server.h"

namespace lms::enrollment {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int64_t kBranch = 2;
constexpr int64_t kMember = 10;
constexpr int64_t kUnknown = 987654;
constexpr int64_t kCourse = 901;
constexpr int64_t kDraftCourse = 907;
// A draft plan requiring the draft course, and a published plan of this year.
constexpr int64_t kDraftPlan = 60;
constexpr int64_t kPublishedPlan = 61;
// An open enrolment of the member, and an ended one.
constexpr int64_t kOpenEnrollment = 5010;
constexpr int64_t kEndedEnrollment = 5011;

constexpr grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
constexpr grpc::StatusCode kNotFound = grpc::StatusCode::NOT_FOUND;
constexpr grpc::StatusCode kPrecondition = grpc::StatusCode::FAILED_PRECONDITION;

struct BadCase {
  std::string name;
  std::string method;  // "PublishPlan"
  std::function<std::string()> request;
  grpc::StatusCode code;
  bool as_member = false;
};

template <typename Message>
std::function<std::string()> With(std::function<void(Message&)> fill) {
  return [fill] {
    Message message;
    fill(message);
    return message.SerializeAsString();
  };
}

int ThisYear() { return static_cast<int>(TodayInChina(absl::Now()).year()); }

std::vector<BadCase> PlanCases() {
  using v1::UpdatePlanRequest;
  const auto titled = [](v1::TrainingPlan& plan) { plan.set_title("改"); };
  return {
      {"update_no_version", "UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         titled(*r.mutable_plan());
       }),
       kInvalid},
      {"update_stale", "UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(99);
         titled(*r.mutable_plan());
       }),
       grpc::StatusCode::ABORTED},
      {"update_unknown", "UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kUnknown);
         r.set_expected_version(1);
         titled(*r.mutable_plan());
       }),
       kNotFound},
      {"update_empty_title", "UpdatePlan", With<UpdatePlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kInvalid},
      {"update_reason_501", "UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
         r.set_change_reason(std::string(501, 'x'));
         titled(*r.mutable_plan());
       }),
       kInvalid},
      {"publish_no_version", "PublishPlan",
       With<v1::PublishPlanRequest>([](auto& r) { r.set_plan_id(kDraftPlan); }), kInvalid},
      {"publish_unknown", "PublishPlan", With<v1::PublishPlanRequest>([](auto& r) {
         r.set_plan_id(kUnknown);
         r.set_expected_version(1);
       }),
       kNotFound},
      {"publish_draft_course", "PublishPlan", With<v1::PublishPlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kPrecondition},
      {"close_draft", "ClosePlan", With<v1::ClosePlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kPrecondition},
      {"close_this_year", "ClosePlan", With<v1::ClosePlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_expected_version(2);
       }),
       kPrecondition},
      {"get_zero", "GetPlan", With<v1::GetPlanRequest>([](auto&) {}), kInvalid},
      {"get_unknown", "GetPlan", With<v1::GetPlanRequest>([](auto& r) { r.set_plan_id(kUnknown); }),
       kNotFound},
      {"get_negative_version", "GetPlan", With<v1::GetPlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_published_version(-1);
       }),
       kInvalid},
      {"get_missing_version", "GetPlan", With<v1::GetPlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_published_version(5);
       }),
       kNotFound},
      {"versions_unknown", "ListPlanVersions",
       With<v1::ListPlanVersionsRequest>([](auto& r) { r.set_plan_id(kUnknown); }), kNotFound},
      {"list_page_101", "ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_page_size(101); }), kInvalid},
      {"list_year_1999", "ListPlans", With<v1::ListPlansRequest>([](auto& r) { r.set_year(1999); }),
       kInvalid},
      {"list_bad_state", "ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_state(static_cast<v1::PlanState>(9)); }),
       kInvalid},
      {"list_bad_token", "ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_page_token("garbage"); }), kInvalid},
  };
}

std::vector<BadCase> EnrollmentCases() {
  using v1::EnrollMembersRequest;
  const auto numbers = [](EnrollMembersRequest& r) {
    r.set_course_id(kCourse);
    r.mutable_members()->add_member_numbers("M-10");
  };
  return {
      {"enroll_no_target", "EnrollMembers",
       With<EnrollMembersRequest>([](auto& r) { r.set_course_id(kCourse); }), kInvalid},
      {"enroll_no_course", "EnrollMembers", With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(0);
       }),
       kInvalid},
      {"enroll_unknown_course", "EnrollMembers", With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(kUnknown);
       }),
       kNotFound},
      {"enroll_draft_course", "EnrollMembers", With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(kDraftCourse);
       }),
       kPrecondition},
      {"enroll_10001_numbers", "EnrollMembers", With<EnrollMembersRequest>([](auto& r) {
         r.set_course_id(kCourse);
         for (int i = 0; i < 10'001; ++i) r.mutable_members()->add_member_numbers("M-10");
       }),
       kInvalid},
      {"enroll_due_in_the_past", "EnrollMembers", With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.mutable_due_date()->set_year(2001);
         r.mutable_due_date()->set_month(1);
         r.mutable_due_date()->set_day(1);
       }),
       kInvalid},
      {"enroll_unknown_category", "EnrollMembers", With<EnrollMembersRequest>([](auto& r) {
         r.set_course_id(kCourse);
         r.mutable_subtree()->set_organization_id(kBranch);
         r.mutable_subtree()->add_categories(static_cast<v1::MemberCategory>(42));
       }),
       kInvalid},
      {"self_no_course", "EnrollSelf", With<v1::EnrollSelfRequest>([](auto&) {}), kInvalid, true},
      {"self_unknown_course", "EnrollSelf",
       With<v1::EnrollSelfRequest>([](auto& r) { r.set_course_id(kUnknown); }), kNotFound, true},
      {"self_draft_course", "EnrollSelf",
       With<v1::EnrollSelfRequest>([](auto& r) { r.set_course_id(kDraftCourse); }), kPrecondition,
       true},
      {"withdraw_no_reason", "WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) { r.set_enrollment_id(kOpenEnrollment); }),
       kInvalid},
      {"withdraw_reason_501", "WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kOpenEnrollment);
         r.set_reason(std::string(501, 'x'));
       }),
       kInvalid},
      {"withdraw_unknown", "WithdrawEnrollment", With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kUnknown);
         r.set_reason("调岗");
       }),
       kNotFound},
      {"withdraw_required_as_member", "WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kOpenEnrollment);
         r.set_reason("不想学");
       }),
       kPrecondition, true},
      {"waive_ended", "WaiveEnrollment", With<v1::WaiveEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kEndedEnrollment);
         r.set_reason("病假");
       }),
       kPrecondition},
      {"learning_negative_member", "GetMyLearning",
       With<v1::GetMyLearningRequest>([](auto& r) { r.set_member_id(-1); }), kInvalid},
      {"learning_unknown_member", "GetMyLearning",
       With<v1::GetMyLearningRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"list_member_and_course", "ListEnrollments", With<v1::ListEnrollmentsRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_organization_id(kBranch);
         r.set_course_id(kCourse);
       }),
       kInvalid},
      {"list_organization_without_course", "ListEnrollments",
       With<v1::ListEnrollmentsRequest>([](auto& r) { r.set_organization_id(kBranch); }), kInvalid},
      {"list_unknown_state", "ListEnrollments", With<v1::ListEnrollmentsRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.add_states(static_cast<v1::EnrollmentState>(9));
       }),
       kInvalid},
  };
}

std::vector<BadCase> Cases() {
  std::vector<BadCase> cases = PlanCases();
  for (BadCase& c : EnrollmentCases()) cases.push_back(std::move(c));
  return cases;
}

class EnrollmentBadInputTest : public ::testing::TestWithParam<BadCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("enrollment_bad_input");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (10, '甲一', 'M-10', 2, 2, 1, 1, NOW(), "
        "NOW())");
    testing::SeedPublishedCourse(db, kCourse, "学习党章");
    testing::SeedPublishedCourse(db, kDraftCourse, "草稿");
    db.Execute("UPDATE course SET state = 1 WHERE id = 907");
    testing::SeedDraftPlan(db, kDraftPlan, kBranch, ThisYear() + 1);
    db.Execute("INSERT INTO plan_category (plan_id, plan_version, category) VALUES (60, 0, 1)");
    db.Execute(absl::StrCat(
        "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required, due_date,"
        " position) VALUES (60, 0, 1, 907, 1, '",
        ThisYear() + 1, "-12-31', 0)"));
    testing::SeedDraftPlan(db, kPublishedPlan, kBranch, ThisYear());
    db.Execute(
        "UPDATE training_plan SET state = 2, version = 2, published_version = 1, assign_state = 3"
        " WHERE id = 61");
    db.Execute(
        "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask, changed_by,"
        " change_time) VALUES (61, 1, '计划61', '', 0, 1, NOW())");
    testing::SeedEnrollment(db, kOpenEnrollment, kMember, kCourse, kBranch);
    testing::SeedEnrollment(db, kEndedEnrollment, kMember, kDraftCourse, kBranch);
    db.Execute("UPDATE enrollment SET state = 7 WHERE id = 5011");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::vector<int64_t> TableCounts() {
    std::vector<int64_t> counts;
    for (const char* table :
         {"training_plan", "plan_version", "plan_category", "plan_course", "plan_schedule_item",
          "enrollment", "enrollment_reason", "request_log"}) {
      counts.push_back(server_->database().CountRows(table));
    }
    // Writes that change rows in place show in these.
    counts.push_back(server_->database().QueryInt("SELECT SUM(version) FROM training_plan"));
    counts.push_back(server_->database().QueryInt("SELECT SUM(state) FROM enrollment"));
    return counts;
  }

  static std::string Token(bool as_member) {
    return as_member ? server_->Token(Role::kMember, kMember, kBranch)
                     : server_->Token(Role::kSystemAdmin, 1, kRoot);
  }

  static testing::TestServer* server_;
};

testing::TestServer* EnrollmentBadInputTest::server_ = nullptr;

TEST_P(EnrollmentBadInputTest, IsRefusedWithTheExactCodeAndWritesNothing) {
  const BadCase& bad = GetParam();
  const std::vector<int64_t> before = TableCounts();
  const grpc::Status status =
      server_->CallRaw(absl::StrCat("/lms.v1.EnrollmentService/", bad.method), bad.request(),
                       {{"authorization", absl::StrCat("Bearer ", Token(bad.as_member))}});
  EXPECT_EQ(status.error_code(), bad.code) << status.error_message();
  EXPECT_FALSE(status.error_message().empty());
  EXPECT_EQ(TableCounts(), before);
}

INSTANTIATE_TEST_SUITE_P(Enrollment, EnrollmentBadInputTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace lms::enrollment
