// Bad input for every RPC of the organisation, identity, enrolment and progress services: the exact
// status code, and nothing written to any of their tables. One table of cases, each a
// request that is wrong in one way (the course service has its own table in course/;
// CreatePlan's is in enrollment/enrollment_api_test).

#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "lms/v1/common.pb.h"
#include "lms/v1/enrollment.pb.h"
#include "lms/v1/identity.pb.h"
#include "lms/v1/organization.pb.h"
#include "lms/v1/progress.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

// Fixed rows every case can name (see SetUpTestSuite).
constexpr int64_t kRoot = 1;
constexpr int64_t kBranch = 2;
constexpr int64_t kOtherBranch = 3;
constexpr int64_t kMember = 10;
constexpr int64_t kKiosk = 100;
constexpr int64_t kUnknown = 987654;

enum class Caller { kSystemAdmin, kMember, kKiosk };

struct BadCase {
  std::string name;
  std::string method;  // "OrganizationService/CreateOrganization"
  std::function<std::string()> request;
  grpc::StatusCode code;
  Caller caller = Caller::kSystemAdmin;
};

template <typename Message>
std::function<std::string()> With(std::function<void(Message&)> fill) {
  return [fill] {
    Message message;
    fill(message);
    return message.SerializeAsString();
  };
}

v1::Member ValidMember(const std::string& number) {
  v1::Member member;
  member.set_name("新党员");
  member.set_member_number(number);
  member.set_organization_id(kBranch);
  member.add_categories(v1::MEMBER_CATEGORY_ORDINARY);
  return member;
}

v1::Organization ValidOrganization(const std::string& code) {
  v1::Organization organization;
  organization.set_parent_id(kBranch);
  organization.set_name("新小组");
  organization.set_code(code);
  organization.set_kind(v1::ORGANIZATION_KIND_GROUP);
  return organization;
}

constexpr grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
constexpr grpc::StatusCode kNotFound = grpc::StatusCode::NOT_FOUND;

std::vector<BadCase> OrganizationAndIdentityCases() {
  using v1::CreateMemberRequest;
  using v1::CreateOrganizationRequest;
  const auto member = [](std::function<void(v1::Member&)> change) {
    return With<CreateMemberRequest>([change](CreateMemberRequest& r) {
      *r.mutable_member() = ValidMember("NEW-1");
      change(*r.mutable_member());
    });
  };
  const auto organization = [](std::function<void(v1::Organization&)> change) {
    return With<CreateOrganizationRequest>([change](CreateOrganizationRequest& r) {
      *r.mutable_organization() = ValidOrganization("NEW-G");
      change(*r.mutable_organization());
    });
  };
  const std::string create_org = "OrganizationService/CreateOrganization";
  const std::string create_member = "OrganizationService/CreateMember";
  return {
      {"org_empty_name", create_org, organization([](auto& o) { o.set_name(""); }), kInvalid},
      {"org_name_101", create_org, organization([](auto& o) { o.set_name(std::string(101, 'x')); }),
       kInvalid},
      {"org_name_not_utf8", create_org, organization([](auto& o) { o.set_name("\xff\xfe"); }),
       kInvalid},
      {"org_code_space", create_org, organization([](auto& o) { o.set_code("ZB 01"); }), kInvalid},
      {"org_code_33", create_org, organization([](auto& o) { o.set_code(std::string(33, 'A')); }),
       kInvalid},
      {"org_unknown_kind", create_org,
       organization([](auto& o) { o.set_kind(static_cast<v1::OrganizationKind>(9)); }), kInvalid},
      {"org_negative_parent", create_org, organization([](auto& o) { o.set_parent_id(-1); }),
       kInvalid},
      {"org_unknown_parent", create_org, organization([](auto& o) { o.set_parent_id(kUnknown); }),
       kNotFound},
      {"org_code_taken", create_org, organization([](auto& o) { o.set_code("ROOT"); }),
       grpc::StatusCode::ALREADY_EXISTS},
      {"org_bad_request_id", create_org, With<CreateOrganizationRequest>([](auto& r) {
         *r.mutable_organization() = ValidOrganization("NEW-G");
         r.set_request_id("not ok!");
       }),
       kInvalid},
      {"update_org_no_version", "OrganizationService/UpdateOrganization",
       With<v1::UpdateOrganizationRequest>([](auto& r) {
         *r.mutable_organization() = ValidOrganization("A");
         r.mutable_organization()->set_id(kBranch);
       }),
       kInvalid},
      {"update_org_stale", "OrganizationService/UpdateOrganization",
       With<v1::UpdateOrganizationRequest>([](auto& r) {
         *r.mutable_organization() = ValidOrganization("A");
         r.mutable_organization()->set_id(kBranch);
         r.set_expected_version(99);
       }),
       grpc::StatusCode::ABORTED},
      {"update_org_unknown", "OrganizationService/UpdateOrganization",
       With<v1::UpdateOrganizationRequest>([](auto& r) {
         *r.mutable_organization() = ValidOrganization("X");
         r.mutable_organization()->set_id(kUnknown);
         r.set_expected_version(1);
       }),
       kNotFound},
      {"move_no_parent", "OrganizationService/MoveOrganization",
       With<v1::MoveOrganizationRequest>([](auto& r) {
         r.set_organization_id(kBranch);
         r.set_expected_version(1);
       }),
       kInvalid},
      {"move_under_itself", "OrganizationService/MoveOrganization",
       With<v1::MoveOrganizationRequest>([](auto& r) {
         r.set_organization_id(kBranch);
         r.set_new_parent_id(kBranch);
         r.set_expected_version(1);
       }),
       grpc::StatusCode::FAILED_PRECONDITION},
      {"move_the_root", "OrganizationService/MoveOrganization",
       With<v1::MoveOrganizationRequest>([](auto& r) {
         r.set_organization_id(kRoot);
         r.set_new_parent_id(kBranch);
         r.set_expected_version(1);
       }),
       grpc::StatusCode::FAILED_PRECONDITION},
      {"close_non_empty", "OrganizationService/CloseOrganization",
       With<v1::CloseOrganizationRequest>([](auto& r) {
         r.set_organization_id(kBranch);
         r.set_expected_version(1);
       }),
       grpc::StatusCode::FAILED_PRECONDITION},
      {"get_org_zero", "OrganizationService/GetOrganization",
       With<v1::GetOrganizationRequest>([](auto&) {}), kInvalid},
      {"get_org_unknown", "OrganizationService/GetOrganization",
       With<v1::GetOrganizationRequest>([](auto& r) { r.set_organization_id(kUnknown); }),
       kNotFound},
      {"list_orgs_page_101", "OrganizationService/ListOrganizations",
       With<v1::ListOrganizationsRequest>([](auto& r) { r.set_page_size(101); }), kInvalid},
      {"list_orgs_forged_token", "OrganizationService/ListOrganizations",
       With<v1::ListOrganizationsRequest>([](auto& r) { r.set_page_token("Zm9yZ2Vk"); }), kInvalid},
      {"member_bad_phone", create_member, member([](auto& m) { m.set_phone("12345"); }), kInvalid},
      {"member_no_categories", create_member, member([](auto& m) { m.clear_categories(); }),
       kInvalid},
      {"member_unknown_category", create_member,
       member([](auto& m) { m.add_categories(static_cast<v1::MemberCategory>(42)); }), kInvalid},
      {"member_repeated_category", create_member,
       member([](auto& m) { m.add_categories(v1::MEMBER_CATEGORY_ORDINARY); }), kInvalid},
      {"member_joins_in_future", create_member, member([](auto& m) {
         m.mutable_join_date()->set_year(2099);
         m.mutable_join_date()->set_month(1);
         m.mutable_join_date()->set_day(1);
       }),
       kInvalid},
      {"member_impossible_date", create_member, member([](auto& m) {
         m.mutable_join_date()->set_year(2023);
         m.mutable_join_date()->set_month(2);
         m.mutable_join_date()->set_day(30);
       }),
       kInvalid},
      {"member_number_space", create_member, member([](auto& m) { m.set_member_number("A 1"); }),
       kInvalid},
      {"member_empty_name", create_member, member([](auto& m) { m.set_name(" "); }), kInvalid},
      {"member_unknown_status", create_member,
       member([](auto& m) { m.set_status(static_cast<v1::MemberStatus>(9)); }), kInvalid},
      {"member_no_organization", create_member, member([](auto& m) { m.set_organization_id(0); }),
       kInvalid},
      {"member_unknown_organization", create_member,
       member([](auto& m) { m.set_organization_id(kUnknown); }), kNotFound},
      {"member_number_taken", create_member, member([](auto& m) { m.set_member_number("M-10"); }),
       grpc::StatusCode::ALREADY_EXISTS},
      {"update_member_stale", "OrganizationService/UpdateMember",
       With<v1::UpdateMemberRequest>([](auto& r) {
         *r.mutable_member() = ValidMember("M-10");
         r.mutable_member()->set_id(kMember);
         r.set_expected_version(99);
       }),
       grpc::StatusCode::ABORTED},
      {"update_member_renumbers", "OrganizationService/UpdateMember",
       With<v1::UpdateMemberRequest>([](auto& r) {
         *r.mutable_member() = ValidMember("M-99");
         r.mutable_member()->set_id(kMember);
         r.set_expected_version(1);
       }),
       kInvalid},
      {"update_member_moves", "OrganizationService/UpdateMember",
       With<v1::UpdateMemberRequest>([](auto& r) {
         *r.mutable_member() = ValidMember("M-10");
         r.mutable_member()->set_id(kMember);
         r.mutable_member()->set_organization_id(kOtherBranch);
         r.set_expected_version(1);
       }),
       kInvalid},
      {"transfer_in_future", "OrganizationService/TransferMember",
       With<v1::TransferMemberRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_target_organization_id(kOtherBranch);
         r.set_expected_version(1);
         r.mutable_effective_date()->set_year(2099);
         r.mutable_effective_date()->set_month(1);
         r.mutable_effective_date()->set_day(1);
       }),
       kInvalid},
      {"transfer_to_same", "OrganizationService/TransferMember",
       With<v1::TransferMemberRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_target_organization_id(kBranch);
         r.set_expected_version(1);
       }),
       grpc::StatusCode::FAILED_PRECONDITION},
      {"get_member_unknown", "OrganizationService/GetMember",
       With<v1::GetMemberRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"list_members_query_65", "OrganizationService/ListMembers",
       With<v1::ListMembersRequest>([](auto& r) { r.set_query(std::string(65, 'x')); }), kInvalid},
      {"list_members_bad_category", "OrganizationService/ListMembers",
       With<v1::ListMembersRequest>(
           [](auto& r) { r.set_category(static_cast<v1::MemberCategory>(9)); }),
       kInvalid},
      {"list_members_negative_page", "OrganizationService/ListMembers",
       With<v1::ListMembersRequest>([](auto& r) { r.set_page_size(-1); }), kInvalid},
      {"sign_in_empty_login", "IdentityService/SignIn",
       With<v1::SignInRequest>([](auto& r) { r.set_password("whatever password"); }), kInvalid},
      {"sign_in_password_129", "IdentityService/SignIn", With<v1::SignInRequest>([](auto& r) {
         r.set_login("M-10");
         r.set_password(std::string(129, 'p'));
       }),
       kInvalid},
      {"sign_in_as_kiosk", "IdentityService/SignIn", With<v1::SignInRequest>([](auto& r) {
         r.set_login("M-10");
         r.set_password("whatever password");
         r.set_role(v1::ROLE_KIOSK);
       }),
       kInvalid},
      {"activate_short_password", "IdentityService/Activate",
       With<v1::ActivateRequest>([](auto& r) {
         r.set_login("M-10");
         r.set_activation_code("AAAA-BBBB-CCCC");
         r.set_new_password("short");
       }),
       kInvalid},
      {"refresh_empty", "IdentityService/RefreshSession",
       With<v1::RefreshSessionRequest>([](auto&) {}), kInvalid},
      {"code_for_nobody", "IdentityService/IssueActivationCode",
       With<v1::IssueActivationCodeRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"code_bad_request_id", "IdentityService/IssueActivationCode",
       With<v1::IssueActivationCodeRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_request_id(std::string(65, 'a'));
       }),
       kInvalid},
      {"kiosk_without_name", "IdentityService/RegisterKiosk",
       With<v1::RegisterKioskRequest>([](auto& r) { r.set_organization_id(kBranch); }), kInvalid},
      {"kiosk_unknown_org", "IdentityService/RegisterKiosk",
       With<v1::RegisterKioskRequest>([](auto& r) {
         r.set_organization_id(kUnknown);
         r.set_name("活动室");
       }),
       kNotFound},
      {"revoke_unknown_kiosk", "IdentityService/RevokeKiosk",
       With<v1::RevokeKioskRequest>([](auto& r) { r.set_kiosk_id(kUnknown); }), kNotFound},
      {"kiosk_sign_in_empty", "IdentityService/KioskSignIn",
       With<v1::KioskSignInRequest>([](auto&) {}), kInvalid},
      {"kiosk_sign_in_forged", "IdentityService/KioskSignIn",
       With<v1::KioskSignInRequest>([](auto& r) { r.set_device_credential("kc1_forged"); }),
       grpc::StatusCode::UNAUTHENTICATED},
      {"grant_member_role", "IdentityService/GrantAdminRole",
       With<v1::GrantAdminRoleRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_organization_id(kBranch);
         r.set_role(v1::ROLE_MEMBER);
       }),
       kInvalid},
      {"pin_with_letter", "IdentityService/SetKioskPin",
       With<v1::SetKioskPinRequest>([](auto& r) { r.set_pin("12a4"); }), kInvalid, Caller::kMember},
      {"pin_sign_in_short", "IdentityService/KioskMemberSignIn",
       With<v1::KioskMemberSignInRequest>([](auto& r) {
         r.set_member_number("M-10");
         r.set_pin("1");
       }),
       kInvalid, Caller::kKiosk},
  };
}

// Enrolment fixtures: a published course and a draft one; a draft plan requiring the
// draft course and a published plan of this year; an open enrolment of the member and an
// ended one.
constexpr int64_t kCourse = 901;
constexpr int64_t kDraftCourse = 907;
constexpr int64_t kDraftPlan = 60;
constexpr int64_t kPublishedPlan = 61;
constexpr int64_t kOpenEnrollment = 5010;
constexpr int64_t kEndedEnrollment = 5011;
constexpr grpc::StatusCode kPrecondition = grpc::StatusCode::FAILED_PRECONDITION;

int ThisYear() { return static_cast<int>(TodayInChina(absl::Now()).year()); }

std::vector<BadCase> PlanCases() {
  using v1::UpdatePlanRequest;
  const auto titled = [](v1::TrainingPlan& plan) { plan.set_title("改"); };
  return {
      {"update_no_version", "EnrollmentService/UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         titled(*r.mutable_plan());
       }),
       kInvalid},
      {"update_stale", "EnrollmentService/UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(99);
         titled(*r.mutable_plan());
       }),
       grpc::StatusCode::ABORTED},
      {"update_unknown", "EnrollmentService/UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kUnknown);
         r.set_expected_version(1);
         titled(*r.mutable_plan());
       }),
       kNotFound},
      {"update_empty_title", "EnrollmentService/UpdatePlan", With<UpdatePlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kInvalid},
      {"update_reason_501", "EnrollmentService/UpdatePlan", With<UpdatePlanRequest>([&](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
         r.set_change_reason(std::string(501, 'x'));
         titled(*r.mutable_plan());
       }),
       kInvalid},
      {"publish_no_version", "EnrollmentService/PublishPlan",
       With<v1::PublishPlanRequest>([](auto& r) { r.set_plan_id(kDraftPlan); }), kInvalid},
      {"publish_unknown", "EnrollmentService/PublishPlan",
       With<v1::PublishPlanRequest>([](auto& r) {
         r.set_plan_id(kUnknown);
         r.set_expected_version(1);
       }),
       kNotFound},
      {"publish_draft_course", "EnrollmentService/PublishPlan",
       With<v1::PublishPlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kPrecondition},
      {"close_draft", "EnrollmentService/ClosePlan", With<v1::ClosePlanRequest>([](auto& r) {
         r.set_plan_id(kDraftPlan);
         r.set_expected_version(1);
       }),
       kPrecondition},
      {"close_this_year", "EnrollmentService/ClosePlan", With<v1::ClosePlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_expected_version(2);
       }),
       kPrecondition},
      {"get_zero", "EnrollmentService/GetPlan", With<v1::GetPlanRequest>([](auto&) {}), kInvalid},
      {"get_unknown", "EnrollmentService/GetPlan",
       With<v1::GetPlanRequest>([](auto& r) { r.set_plan_id(kUnknown); }), kNotFound},
      {"get_negative_version", "EnrollmentService/GetPlan", With<v1::GetPlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_published_version(-1);
       }),
       kInvalid},
      {"get_missing_version", "EnrollmentService/GetPlan", With<v1::GetPlanRequest>([](auto& r) {
         r.set_plan_id(kPublishedPlan);
         r.set_published_version(5);
       }),
       kNotFound},
      {"versions_unknown", "EnrollmentService/ListPlanVersions",
       With<v1::ListPlanVersionsRequest>([](auto& r) { r.set_plan_id(kUnknown); }), kNotFound},
      {"list_page_101", "EnrollmentService/ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_page_size(101); }), kInvalid},
      {"list_year_1999", "EnrollmentService/ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_year(1999); }), kInvalid},
      {"list_bad_state", "EnrollmentService/ListPlans",
       With<v1::ListPlansRequest>([](auto& r) { r.set_state(static_cast<v1::PlanState>(9)); }),
       kInvalid},
      {"list_bad_token", "EnrollmentService/ListPlans",
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
      {"enroll_no_target", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([](auto& r) { r.set_course_id(kCourse); }), kInvalid},
      {"enroll_no_course", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(0);
       }),
       kInvalid},
      {"enroll_unknown_course", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(kUnknown);
       }),
       kNotFound},
      {"enroll_draft_course", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.set_course_id(kDraftCourse);
       }),
       kPrecondition},
      {"enroll_10001_numbers", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([](auto& r) {
         r.set_course_id(kCourse);
         for (int i = 0; i < 10'001; ++i) r.mutable_members()->add_member_numbers("M-10");
       }),
       kInvalid},
      {"enroll_due_in_the_past", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([&](auto& r) {
         numbers(r);
         r.mutable_due_date()->set_year(2001);
         r.mutable_due_date()->set_month(1);
         r.mutable_due_date()->set_day(1);
       }),
       kInvalid},
      {"enroll_unknown_category", "EnrollmentService/EnrollMembers",
       With<EnrollMembersRequest>([](auto& r) {
         r.set_course_id(kCourse);
         r.mutable_subtree()->set_organization_id(kBranch);
         r.mutable_subtree()->add_categories(static_cast<v1::MemberCategory>(42));
       }),
       kInvalid},
      {"self_no_course", "EnrollmentService/EnrollSelf", With<v1::EnrollSelfRequest>([](auto&) {}),
       kInvalid, Caller::kMember},
      {"self_unknown_course", "EnrollmentService/EnrollSelf",
       With<v1::EnrollSelfRequest>([](auto& r) { r.set_course_id(kUnknown); }), kNotFound,
       Caller::kMember},
      {"self_draft_course", "EnrollmentService/EnrollSelf",
       With<v1::EnrollSelfRequest>([](auto& r) { r.set_course_id(kDraftCourse); }), kPrecondition,
       Caller::kMember},
      {"withdraw_no_reason", "EnrollmentService/WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) { r.set_enrollment_id(kOpenEnrollment); }),
       kInvalid},
      {"withdraw_reason_501", "EnrollmentService/WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kOpenEnrollment);
         r.set_reason(std::string(501, 'x'));
       }),
       kInvalid},
      {"withdraw_unknown", "EnrollmentService/WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kUnknown);
         r.set_reason("调岗");
       }),
       kNotFound},
      {"withdraw_required_as_member", "EnrollmentService/WithdrawEnrollment",
       With<v1::WithdrawEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kOpenEnrollment);
         r.set_reason("不想学");
       }),
       kPrecondition, Caller::kMember},
      {"waive_ended", "EnrollmentService/WaiveEnrollment",
       With<v1::WaiveEnrollmentRequest>([](auto& r) {
         r.set_enrollment_id(kEndedEnrollment);
         r.set_reason("病假");
       }),
       kPrecondition},
      {"learning_negative_member", "EnrollmentService/GetMyLearning",
       With<v1::GetMyLearningRequest>([](auto& r) { r.set_member_id(-1); }), kInvalid},
      {"learning_unknown_member", "EnrollmentService/GetMyLearning",
       With<v1::GetMyLearningRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"list_member_and_course", "EnrollmentService/ListEnrollments",
       With<v1::ListEnrollmentsRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.set_organization_id(kBranch);
         r.set_course_id(kCourse);
       }),
       kInvalid},
      {"list_organization_without_course", "EnrollmentService/ListEnrollments",
       With<v1::ListEnrollmentsRequest>([](auto& r) { r.set_organization_id(kBranch); }), kInvalid},
      {"list_unknown_state", "EnrollmentService/ListEnrollments",
       With<v1::ListEnrollmentsRequest>([](auto& r) {
         r.set_member_id(kMember);
         r.add_states(static_cast<v1::EnrollmentState>(9));
       }),
       kInvalid},
  };
}

// Credit 7000 of the member is reversed by 7001; its course kCourse is complete.
constexpr int64_t kReversedCredit = 7000;
constexpr int64_t kReversal = 7001;

v1::GrantHoursCreditRequest ValidGrant() {
  v1::GrantHoursCreditRequest r;
  r.set_request_id("grant-bad-input");
  r.set_member_id(kMember);
  r.mutable_hours()->set_hundredths(100);
  r.mutable_happen_date()->set_year(2025);
  r.mutable_happen_date()->set_month(5);
  r.mutable_happen_date()->set_day(1);
  r.set_content_category(v1::CONTENT_CATEGORY_POLITICAL_THEORY);
  r.set_title("党校培训");
  r.set_reason("线下补录");
  return r;
}

std::vector<BadCase> ProgressCases() {
  const auto grant = [](std::function<void(v1::GrantHoursCreditRequest&)> change) {
    return With<v1::GrantHoursCreditRequest>([change](v1::GrantHoursCreditRequest& r) {
      r = ValidGrant();
      change(r);
    });
  };
  const auto waive = [](std::function<void(v1::WaiveCompletionRequest&)> change) {
    return With<v1::WaiveCompletionRequest>([change](v1::WaiveCompletionRequest& r) {
      r.set_member_id(kMember);
      r.set_course_id(kDraftCourse);
      r.set_reason("党校已学");
      change(r);
    });
  };
  const absl::CivilDay tomorrow = TodayInChina(absl::Now()) + 1;
  return {
      {"record_no_events", "ProgressService/RecordProgress",
       With<v1::RecordProgressRequest>([](auto&) {}), kInvalid, Caller::kMember},
      {"record_5001_events", "ProgressService/RecordProgress",
       With<v1::RecordProgressRequest>([](auto& r) {
         for (int i = 0; i < 5001; ++i) r.add_events()->set_event_id(absl::StrCat("e", i));
       }),
       kInvalid, Caller::kMember},
      {"course_progress_no_course", "ProgressService/GetCourseProgress",
       With<v1::GetCourseProgressRequest>([](auto&) {}), kInvalid, Caller::kMember},
      {"course_progress_unknown_course", "ProgressService/GetCourseProgress",
       With<v1::GetCourseProgressRequest>([](auto& r) { r.set_course_id(kUnknown); }), kNotFound,
       Caller::kMember},
      {"course_progress_draft_for_member", "ProgressService/GetCourseProgress",
       With<v1::GetCourseProgressRequest>([](auto& r) { r.set_course_id(kDraftCourse); }),
       kNotFound, Caller::kMember},
      {"course_progress_unknown_member", "ProgressService/GetCourseProgress",
       With<v1::GetCourseProgressRequest>([](auto& r) {
         r.set_member_id(kUnknown);
         r.set_course_id(kCourse);
       }),
       kNotFound},
      {"changes_negative_checkpoint", "ProgressService/ListProgressChanges",
       With<v1::ListProgressChangesRequest>([](auto& r) { r.set_checkpoint(-1); }), kInvalid,
       Caller::kMember},
      {"changes_page_1001", "ProgressService/ListProgressChanges",
       With<v1::ListProgressChangesRequest>([](auto& r) { r.set_page_size(1001); }), kInvalid,
       Caller::kMember},
      {"explain_no_course", "ProgressService/ExplainCompletion",
       With<v1::ExplainCompletionRequest>([](auto&) {}), kInvalid, Caller::kMember},
      {"explain_unknown_course", "ProgressService/ExplainCompletion",
       With<v1::ExplainCompletionRequest>([](auto& r) { r.set_course_id(kUnknown); }), kNotFound,
       Caller::kMember},
      {"waive_no_reason", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_reason(""); }), kInvalid},
      {"waive_reason_501", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_reason(std::string(501, 'x')); }), kInvalid},
      {"waive_no_member", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_member_id(0); }), kInvalid},
      {"waive_unknown_member", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"waive_unknown_course", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_course_id(kUnknown); }), kNotFound},
      {"waive_draft_course", "ProgressService/WaiveCompletion", waive([](auto&) {}), kPrecondition},
      {"waive_completed", "ProgressService/WaiveCompletion",
       waive([](auto& r) { r.set_course_id(kCourse); }), kPrecondition},
      {"summary_year_1999", "ProgressService/GetHoursSummary",
       With<v1::GetHoursSummaryRequest>([](auto& r) { r.set_year(1999); }), kInvalid,
       Caller::kMember},
      {"summary_unknown_member", "ProgressService/GetHoursSummary",
       With<v1::GetHoursSummaryRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"credits_page_101", "ProgressService/ListHoursCredits",
       With<v1::ListHoursCreditsRequest>([](auto& r) { r.set_page_size(101); }), kInvalid,
       Caller::kMember},
      {"credits_year_2101", "ProgressService/ListHoursCredits",
       With<v1::ListHoursCreditsRequest>([](auto& r) { r.set_year(2101); }), kInvalid,
       Caller::kMember},
      {"credits_forged_token", "ProgressService/ListHoursCredits",
       With<v1::ListHoursCreditsRequest>([](auto& r) { r.set_page_token("forged"); }), kInvalid,
       Caller::kMember},
      {"credits_unknown_member", "ProgressService/ListHoursCredits",
       With<v1::ListHoursCreditsRequest>([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"grant_no_request_id", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.clear_request_id(); }), kInvalid},
      {"grant_zero_hours", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.mutable_hours()->set_hundredths(0); }), kInvalid},
      {"grant_100_hours_and_more", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.mutable_hours()->set_hundredths(10001); }), kInvalid},
      {"grant_no_date", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.clear_happen_date(); }), kInvalid},
      {"grant_tomorrow", "ProgressService/GrantHoursCredit", grant([tomorrow](auto& r) {
         r.mutable_happen_date()->set_year(static_cast<int>(tomorrow.year()));
         r.mutable_happen_date()->set_month(tomorrow.month());
         r.mutable_happen_date()->set_day(tomorrow.day());
       }),
       kInvalid},
      {"grant_no_category", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.set_content_category(v1::CONTENT_CATEGORY_UNSPECIFIED); }), kInvalid},
      {"grant_no_title", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.set_title(""); }), kInvalid},
      {"grant_no_reason", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.set_reason(""); }), kInvalid},
      {"grant_unknown_member", "ProgressService/GrantHoursCredit",
       grant([](auto& r) { r.set_member_id(kUnknown); }), kNotFound},
      {"reverse_no_credit", "ProgressService/ReverseHoursCredit",
       With<v1::ReverseHoursCreditRequest>([](auto& r) { r.set_reason("重复"); }), kInvalid},
      {"reverse_no_reason", "ProgressService/ReverseHoursCredit",
       With<v1::ReverseHoursCreditRequest>([](auto& r) { r.set_credit_id(kReversedCredit); }),
       kInvalid},
      {"reverse_unknown", "ProgressService/ReverseHoursCredit",
       With<v1::ReverseHoursCreditRequest>([](auto& r) {
         r.set_credit_id(kUnknown);
         r.set_reason("重复");
       }),
       kNotFound},
      {"reverse_reversed", "ProgressService/ReverseHoursCredit",
       With<v1::ReverseHoursCreditRequest>([](auto& r) {
         r.set_credit_id(kReversedCredit);
         r.set_reason("重复");
       }),
       kPrecondition},
      {"reverse_a_reversal", "ProgressService/ReverseHoursCredit",
       With<v1::ReverseHoursCreditRequest>([](auto& r) {
         r.set_credit_id(kReversal);
         r.set_reason("重复");
       }),
       kPrecondition},
  };
}

std::vector<BadCase> Cases() {
  std::vector<BadCase> cases = OrganizationAndIdentityCases();
  for (std::vector<BadCase> more : {PlanCases(), EnrollmentCases(), ProgressCases()}) {
    for (BadCase& c : more) cases.push_back(std::move(c));
  }
  return cases;
}

class BadInputTest : public ::testing::TestWithParam<BadCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("bad_input");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (10, '甲一', 'M-10', 2, 2, 1, 1, NOW(), "
        "NOW())");
    db.Execute(
        "INSERT INTO member_assignment (member_id, organization_id, valid_from)"
        " VALUES (10, 2, '2020-01-01')");
    db.Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '甲活动室', REPEAT('a', 64), NOW())");
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
    testing::SeedHoursCredit(db, kReversedCredit, kMember, 100);
    db.Execute(
        "INSERT INTO hours_credit (id, member_id, source, summary_source, source_key, source_id,"
        " title, year, hundredths, content_category, rule_version, actor_member_id, reason,"
        " happen_time, record_time, reverses_credit_id) VALUES (7001, 10, 6, 5, 'reversal:7000',"
        " 0, '党校培训', 2026, -100, 1, 0, 1, '重复', '2026-05-01', NOW(), 7000)");
    db.Execute(
        "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
        " completion_time, completion_kind) VALUES (10, 901, 2, 1, NOW(), 1)");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::vector<int64_t> TableCounts() {
    std::vector<int64_t> counts;
    for (const char* table :
         {"organization",      "organization_closure", "member",          "member_assignment",
          "member_credential", "activation_code",      "kiosk",           "session",
          "refresh_token",     "admin_grant",          "request_log",     "training_plan",
          "plan_version",      "plan_category",        "plan_course",     "plan_schedule_item",
          "enrollment",        "enrollment_reason",    "member_progress", "progress_event",
          "study_interval",    "lesson_progress",      "course_progress", "hours_credit",
          "member_year_hours", "member_year_study"}) {
      counts.push_back(server_->database().CountRows(table));
    }
    // Writes that change rows in place show in these.
    counts.push_back(server_->database().QueryInt("SELECT SUM(version) FROM training_plan"));
    counts.push_back(server_->database().QueryInt("SELECT SUM(state) FROM enrollment"));
    counts.push_back(
        server_->database().QueryInt("SELECT COALESCE(SUM(hundredths), 0) FROM member_year_hours"));
    return counts;
  }

  static std::string Token(Caller caller) {
    auth::Caller c;
    switch (caller) {
      case Caller::kSystemAdmin:
        c.role = Role::kSystemAdmin;
        c.member_id = 1;
        c.organization_id = kRoot;
        break;
      case Caller::kMember:
        c.role = Role::kMember;
        c.member_id = kMember;
        c.organization_id = kBranch;
        break;
      case Caller::kKiosk:
        c.role = Role::kKiosk;
        c.organization_id = kBranch;
        c.kiosk_id = kKiosk;
        break;
    }
    return server_->TokenFor(c);
  }

  static testing::TestServer* server_;
};

testing::TestServer* BadInputTest::server_ = nullptr;

TEST_P(BadInputTest, IsRefusedWithTheExactCodeAndWritesNothing) {
  const BadCase& bad = GetParam();
  const std::vector<int64_t> before = TableCounts();
  const grpc::Status status =
      server_->CallRaw(absl::StrCat("/lms.v1.", bad.method), bad.request(),
                       {{"authorization", absl::StrCat("Bearer ", Token(bad.caller))}});
  EXPECT_EQ(status.error_code(), bad.code) << status.error_message();
  EXPECT_FALSE(status.error_message().empty());
  EXPECT_EQ(TableCounts(), before);
}

INSTANTIATE_TEST_SUITE_P(Services, BadInputTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace lms
