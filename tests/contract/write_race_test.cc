// Every RPC marked `writes` in its policy, enumerated from the descriptors of the hosted
// services, must hold its subtree decision until it commits. For each one that names
// objects, an admin of branch A writes to objects in A's sub-organisation A1 and is paused
// by the write path's before-commit hook (call::RunWrite); meanwhile a system admin moves
// A1 under branch B. The move must wait for the write; then the write, released, commits
// and the move goes ahead. A write that never reaches the hook does not run on
// the write path; one whose move goes through slipped between its check and its commit.

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/auth/method_policy.h"
#include "lms/v1/activity.grpc.pb.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/progress.pb.h"
#include "lms/v1/settings.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kBranchA = 2;
constexpr int64_t kBranchB = 3;
constexpr int64_t kA1 = 4;  // under A: where every object a write names lives
constexpr int64_t kAdminOfA = 12;
constexpr int64_t kCourse = 900;

class WriteRaceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("write_race");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (4, 2, '甲一支部', 'A1', 3, 1, NOW(), NOW()),"
        " (5, 4, '甲一小组', 'A1G', 4, 1, NOW(), NOW())");
    db.Execute(
        "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES"
        " (4, 4, 0), (2, 4, 1), (1, 4, 2), (5, 5, 0), (4, 5, 1), (2, 5, 2), (1, 5, 3)");
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (12, '甲管', 'ADMA', 2, 2, 1, 1, NOW(), "
        "NOW())");
    db.Execute(
        "INSERT INTO member_assignment (member_id, organization_id, valid_from)"
        " VALUES (12, 2, '2020-01-01')");
    testing::SeedPublishedCourse(db, kCourse, "学习党章");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string SystemAdmin() { return server_->Token(Role::kSystemAdmin, 1, 1); }

  // A member of A1 created through the API (so it has its assignment history).
  static int64_t NewMember() {
    v1::CreateMemberRequest request;
    auto* member = request.mutable_member();
    member->set_name("竞态");
    member->set_member_number(absl::StrCat("R", ++serial_));
    member->set_organization_id(kA1);
    member->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
    member->mutable_join_date()->set_year(2010);
    member->mutable_join_date()->set_month(7);
    member->mutable_join_date()->set_day(1);
    v1::Member created;
    const grpc::Status status = server_->organizations().CreateMember(
        server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.id();
  }
  // An empty organisation under A1.
  static int64_t NewOrganization() {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_parent_id(kA1);
    request.mutable_organization()->set_name("竞态小组");
    request.mutable_organization()->set_code(absl::StrCat("RG", ++serial_));
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_GROUP);
    v1::Organization created;
    const grpc::Status status = server_->organizations().CreateOrganization(
        server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.id();
  }
  static int64_t NewKiosk() {
    v1::RegisterKioskRequest request;
    request.set_organization_id(kA1);
    request.set_name("竞态活动室");
    v1::KioskRegistration registered;
    const grpc::Status status = server_->identity().RegisterKiosk(
        server_->Context(SystemAdmin()).get(), request, &registered);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return registered.kiosk_id();
  }
  // A draft plan of A1 for a year no other sample uses, created through the API.
  static v1::TrainingPlan NewPlan(int year) {
    v1::CreatePlanRequest request;
    request.mutable_plan()->set_organization_id(kA1);
    request.mutable_plan()->set_year(year);
    request.mutable_plan()->set_title("竞态计划");
    v1::TrainingPlan created;
    const grpc::Status status =
        server_->enrollment().CreatePlan(server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  static v1::TrainingPlan Published(const v1::TrainingPlan& plan) {
    v1::PublishPlanRequest request;
    request.set_plan_id(plan.id());
    request.set_expected_version(plan.version());
    v1::TrainingPlan published;
    const grpc::Status status = server_->enrollment().PublishPlan(
        server_->Context(SystemAdmin()).get(), request, &published);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return published;
  }
  // An open enrolment of a new member of A1 in the course, assigned by a system admin.
  static int64_t NewEnrollment() {
    const int64_t member = NewMember();
    v1::EnrollMembersRequest request;
    request.set_course_id(kCourse);
    request.mutable_members()->add_member_numbers(absl::StrCat("R", serial_));
    v1::EnrollMembersResponse response;
    const grpc::Status status = server_->enrollment().EnrollMembers(
        server_->Context(SystemAdmin()).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return server_->database().QueryInt("SELECT id FROM enrollment WHERE member_id = ?", {member});
  }
  // A true/false question of A1's bank, as an admin would fill it in.
  static v1::Question QuestionOfA1() {
    v1::Question question;
    question.set_organization_id(kA1);
    question.set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    question.set_stem("党章是党的根本大法。");
    question.mutable_key()->set_correct_truth(v1::TRUTH_TRUE);
    question.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    question.set_difficulty(2);
    return question;
  }
  static v1::Question NewQuestion() {
    v1::CreateQuestionRequest request;
    *request.mutable_question() = QuestionOfA1();
    v1::Question created;
    const grpc::Status status = server_->assessment().CreateQuestion(
        server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  // A practice quiz of A1 on one question.
  static v1::Paper PaperOfA1(int64_t question_id) {
    v1::Paper paper;
    paper.set_organization_id(kA1);
    paper.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
    paper.set_title("党章练习");
    paper.add_fixed_question_ids(question_id);
    v1::TypePoints* points = paper.add_type_points();
    points->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    points->set_points(2);
    paper.set_pass_points(2);
    return paper;
  }
  static v1::Paper NewPaper() {
    v1::CreatePaperRequest request;
    *request.mutable_paper() = PaperOfA1(NewQuestion().id());
    v1::Paper created;
    const grpc::Status status =
        server_->assessment().CreatePaper(server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  // A theme Party day of A1 that started an hour ago, as an admin would fill it in.
  static v1::Activity ActivityOfA1() {
    v1::Activity activity;
    activity.set_organization_id(kA1);
    activity.set_kind(v1::ACTIVITY_KIND_THEME_PARTY_DAY);
    activity.set_title("主题党日");
    activity.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    const absl::Time start = absl::Now() - absl::Hours(1);
    activity.mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
    activity.mutable_end_time()->set_seconds(absl::ToUnixSeconds(start + absl::Hours(2)));
    return activity;
  }
  static v1::Activity NewActivity() {
    v1::CreateActivityRequest request;
    *request.mutable_activity() = ActivityOfA1();
    v1::Activity created;
    const grpc::Status status = server_->activities().CreateActivity(
        server_->Context(SystemAdmin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  // A training class of A1 starting tomorrow, with a seat for `member` if not 0.
  static int64_t NewClass(int64_t member) {
    v1::CreateActivityRequest request;
    *request.mutable_activity() = ActivityOfA1();
    v1::Activity& draft = *request.mutable_activity();
    draft.set_kind(v1::ACTIVITY_KIND_TRAINING_CLASS);
    draft.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(24)));
    draft.mutable_end_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(26)));
    draft.mutable_training_class()->set_capacity(5);
    v1::Activity created;
    EXPECT_TRUE(server_->activities()
                    .CreateActivity(server_->Context(SystemAdmin()).get(), request, &created)
                    .ok());
    if (member != 0) {
      v1::SignUpForClassRequest sign_up;
      sign_up.set_activity_id(created.id());
      sign_up.set_member_id(member);
      v1::ClassSeat seat;
      EXPECT_TRUE(server_->activities()
                      .SignUpForClass(server_->Context(SystemAdmin()).get(), sign_up, &seat)
                      .ok());
    }
    return created.id();
  }
  static int64_t Version(const char* table, int64_t id) {
    return server_->database().QueryInt(
        absl::StrCat("SELECT version FROM ", table, " WHERE id = ?"), {id});
  }

  // A request for each writing RPC that names objects: valid, so that an admin of A gets
  // to the commit, and naming objects in A1 only. A new writing RPC needs its line here.
  static std::map<std::string, std::function<std::string()>> Samples() {
    using Make = std::function<std::string()>;
    std::map<std::string, Make> samples;
    samples["lms.v1.OrganizationService.CreateOrganization"] = [] {
      v1::CreateOrganizationRequest r;
      r.mutable_organization()->set_parent_id(kA1);
      r.mutable_organization()->set_name("新小组");
      r.mutable_organization()->set_code(absl::StrCat("NG", ++serial_));
      r.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_GROUP);
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.UpdateOrganization"] = [] {
      v1::UpdateOrganizationRequest r;
      const int64_t id = NewOrganization();
      r.mutable_organization()->set_id(id);
      r.mutable_organization()->set_name("改名小组");
      r.mutable_organization()->set_code(absl::StrCat("UG", ++serial_));
      r.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_GROUP);
      r.set_expected_version(Version("organization", id));
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.MoveOrganization"] = [] {
      v1::MoveOrganizationRequest r;
      const int64_t id = NewOrganization();
      r.set_organization_id(id);
      r.set_new_parent_id(5);
      r.set_expected_version(Version("organization", id));
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.CloseOrganization"] = [] {
      v1::CloseOrganizationRequest r;
      const int64_t id = NewOrganization();
      r.set_organization_id(id);
      r.set_expected_version(Version("organization", id));
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.CreateMember"] = [] {
      v1::CreateMemberRequest r;
      auto* member = r.mutable_member();
      member->set_name("新党员");
      member->set_member_number(absl::StrCat("N", ++serial_));
      member->set_organization_id(kA1);
      member->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
      member->mutable_join_date()->set_year(2015);
      member->mutable_join_date()->set_month(1);
      member->mutable_join_date()->set_day(1);
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.UpdateMember"] = [] {
      v1::UpdateMemberRequest r;
      const int64_t id = NewMember();
      r.mutable_member()->set_id(id);
      r.mutable_member()->set_name("改名党员");
      r.mutable_member()->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
      r.mutable_member()->mutable_join_date()->set_year(2010);
      r.mutable_member()->mutable_join_date()->set_month(7);
      r.mutable_member()->mutable_join_date()->set_day(1);
      r.set_expected_version(Version("member", id));
      return r.SerializeAsString();
    };
    samples["lms.v1.OrganizationService.TransferMember"] = [] {
      v1::TransferMemberRequest r;
      const int64_t id = NewMember();
      r.set_member_id(id);
      r.set_target_organization_id(5);
      r.set_expected_version(Version("member", id));
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.IssueActivationCode"] = [] {
      v1::IssueActivationCodeRequest r;
      r.set_member_id(NewMember());
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.RegisterKiosk"] = [] {
      v1::RegisterKioskRequest r;
      r.set_organization_id(kA1);
      r.set_name("新活动室");
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.RevokeKiosk"] = [] {
      v1::RevokeKioskRequest r;
      r.set_kiosk_id(NewKiosk());
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.UnlockKiosk"] = [] {
      v1::UnlockKioskRequest r;
      r.set_kiosk_id(NewKiosk());
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.AddKioskServedOrganization"] = [] {
      v1::ChangeKioskServedOrganizationRequest r;
      r.set_kiosk_id(NewKiosk());
      r.set_organization_id(kA1);
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.RemoveKioskServedOrganization"] =
        samples["lms.v1.IdentityService.AddKioskServedOrganization"];
    samples["lms.v1.IdentityService.GrantAdminRole"] = [] {
      v1::GrantAdminRoleRequest r;
      r.set_member_id(NewMember());
      r.set_role(v1::ROLE_ORG_ADMIN);
      r.set_organization_id(kA1);
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.RevokeAdminRole"] = [] {
      v1::GrantAdminRoleRequest grant;
      grant.set_member_id(NewMember());
      grant.set_role(v1::ROLE_ORG_ADMIN);
      grant.set_organization_id(kA1);
      v1::AdminGrant granted;
      const grpc::Status status = server_->identity().GrantAdminRole(
          server_->Context(SystemAdmin()).get(), grant, &granted);
      EXPECT_TRUE(status.ok()) << status.error_message();
      v1::RevokeAdminRoleRequest r;
      r.set_member_id(grant.member_id());
      r.set_role(v1::ROLE_ORG_ADMIN);
      r.set_organization_id(kA1);
      return r.SerializeAsString();
    };
    samples["lms.v1.SettingsService.ChangeSetting"] = [] {
      v1::ChangeSettingRequest r;
      r.set_organization_id(kA1);
      r.set_key("activity.hours.theme_party_day");
      r.set_value(250 + ++serial_);
      r.set_expected_version(server_->database().QueryInt(
          "SELECT COALESCE(MAX(version), 0) FROM setting_change WHERE organization_id = 4"));
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.CreatePlan"] = [] {
      v1::CreatePlanRequest r;
      r.mutable_plan()->set_organization_id(kA1);
      r.mutable_plan()->set_year(2090);
      r.mutable_plan()->set_title("新计划");
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.UpdatePlan"] = [] {
      const v1::TrainingPlan plan = NewPlan(2060 + ++serial_ % 20);
      v1::UpdatePlanRequest r;
      r.set_plan_id(plan.id());
      r.set_expected_version(plan.version());
      r.mutable_plan()->set_title("改过的计划");
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.PublishPlan"] = [] {
      const v1::TrainingPlan plan = NewPlan(2040 + ++serial_ % 20);
      v1::PublishPlanRequest r;
      r.set_plan_id(plan.id());
      r.set_expected_version(plan.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.ClosePlan"] = [] {
      // A past year's plan: it may be closed now.
      const v1::TrainingPlan plan = Published(NewPlan(2020));
      v1::ClosePlanRequest r;
      r.set_plan_id(plan.id());
      r.set_expected_version(plan.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.EnrollMembers"] = [] {
      NewMember();
      v1::EnrollMembersRequest r;
      r.set_course_id(kCourse);
      r.mutable_subtree()->set_organization_id(kA1);
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.WithdrawEnrollment"] = [] {
      v1::WithdrawEnrollmentRequest r;
      r.set_enrollment_id(NewEnrollment());
      r.set_reason("调岗");
      return r.SerializeAsString();
    };
    samples["lms.v1.EnrollmentService.WaiveEnrollment"] = [] {
      v1::WaiveEnrollmentRequest r;
      r.set_enrollment_id(NewEnrollment());
      r.set_reason("病假");
      return r.SerializeAsString();
    };
    samples["lms.v1.ProgressService.WaiveCompletion"] = [] {
      v1::WaiveCompletionRequest r;
      r.set_member_id(NewMember());
      r.set_course_id(kCourse);
      r.set_reason("党校已学");
      r.set_credit_hours(true);
      return r.SerializeAsString();
    };
    samples["lms.v1.ProgressService.GrantHoursCredit"] = [] {
      v1::GrantHoursCreditRequest r;
      r.set_request_id(absl::StrCat("race-grant-", ++serial_));
      r.set_member_id(NewMember());
      r.mutable_hours()->set_hundredths(200);
      r.mutable_happen_date()->set_year(2024);
      r.mutable_happen_date()->set_month(3);
      r.mutable_happen_date()->set_day(1);
      r.set_content_category(v1::CONTENT_CATEGORY_POLITICAL_THEORY);
      r.set_title("党校培训");
      r.set_reason("党校结业");
      return r.SerializeAsString();
    };
    samples["lms.v1.ProgressService.ReverseHoursCredit"] = [] {
      const int64_t credit = 8000 + ++serial_;
      testing::SeedHoursCredit(server_->database(), credit, NewMember(), 150);
      v1::ReverseHoursCreditRequest r;
      r.set_credit_id(credit);
      r.set_reason("重复登记");
      return r.SerializeAsString();
    };
    samples["lms.v1.ProgressService.DecidePendingProgress"] = [] {
      const int64_t member = NewMember();
      const int64_t pending = 9500 + ++serial_;
      auto& db = server_->database();
      db.Execute(
          absl::StrCat("INSERT INTO offline_evidence (id, kiosk_id, member_id, kind, reference,"
                       " first_upload_time) VALUES (",
                       pending, ", 1, ", member, ", 3, '', NOW())"));
      db.Execute(absl::StrCat(
          "INSERT INTO pending_progress_event (id, member_id, event_id, lesson_id, device_id,"
          " sequence, occur_time, sent_time, receive_time, from_position, to_position,"
          " active_seconds, kiosk_id, evidence_id, reason, state) VALUES (",
          pending, ", ", member, ", 'race', 1, 'kiosk', 1, NOW(), NOW(), NOW(), 0, 60, 60, 1, ",
          pending, ", 1, 1)"));
      v1::DecidePendingProgressRequest r;
      r.set_member_id(member);
      r.add_pending_ids(pending);
      r.set_confirm(false);
      r.set_reason("不是本人");
      return r.SerializeAsString();
    };
    samples["lms.v1.IdentityService.RevokeDeviceKey"] = [] {
      const int64_t key = 9000 + ++serial_;
      const int64_t member = NewMember();
      server_->database().Execute(absl::StrCat(
          "INSERT INTO member_device_key (id, member_id, public_key, name, register_time)"
          " VALUES (",
          key, ", ", member, ", LPAD(HEX(", key, "), 64, '0'), '丢失的手机', NOW())"));
      v1::RevokeDeviceKeyRequest r;
      r.set_key_id(key);
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.CreateActivity"] = [] {
      v1::CreateActivityRequest r;
      *r.mutable_activity() = ActivityOfA1();
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.UpdateActivity"] = [] {
      const v1::Activity activity = NewActivity();
      v1::UpdateActivityRequest r;
      r.set_activity_id(activity.id());
      r.set_expected_version(activity.version());
      *r.mutable_activity() = ActivityOfA1();
      r.mutable_activity()->set_location("二楼会议室");
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.CancelActivity"] = [] {
      const v1::Activity activity = NewActivity();
      v1::CancelActivityRequest r;
      r.set_activity_id(activity.id());
      r.set_expected_version(activity.version());
      r.set_reason("停电");
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.RecordAttendance"] = [] {
      const v1::Activity activity = NewActivity();
      v1::RecordAttendanceRequest r;
      r.set_activity_id(activity.id());
      r.add_member_ids(NewMember());
      r.set_status(v1::ATTENDANCE_STATUS_PRESENT);
      r.set_reason("纸质签到补录");
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.SignUpForClass"] = [] {
      v1::SignUpForClassRequest r;
      r.set_activity_id(NewClass(0));
      r.set_member_id(NewMember());
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.WithdrawFromClass"] = [] {
      const int64_t member = NewMember();
      v1::WithdrawFromClassRequest r;
      r.set_activity_id(NewClass(member));
      r.set_member_id(member);
      r.set_reason("工作调动");
      return r.SerializeAsString();
    };
    samples["lms.v1.ActivityService.CloseActivity"] = [] {
      const v1::Activity activity = NewActivity();
      v1::CloseActivityRequest r;
      r.set_activity_id(activity.id());
      r.set_expected_version(activity.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.CreateQuestion"] = [] {
      v1::CreateQuestionRequest r;
      *r.mutable_question() = QuestionOfA1();
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.UpdateQuestion"] = [] {
      const v1::Question question = NewQuestion();
      v1::UpdateQuestionRequest r;
      r.set_question_id(question.id());
      r.set_expected_version(question.version());
      *r.mutable_question() = question;
      r.mutable_question()->set_difficulty(3);
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.RetireQuestion"] = [] {
      const v1::Question question = NewQuestion();
      v1::RetireQuestionRequest r;
      r.set_question_id(question.id());
      r.set_expected_version(question.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.CreatePaper"] = [] {
      v1::CreatePaperRequest r;
      *r.mutable_paper() = PaperOfA1(NewQuestion().id());
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.UpdatePaper"] = [] {
      const v1::Paper paper = NewPaper();
      v1::UpdatePaperRequest r;
      r.set_paper_id(paper.id());
      r.set_expected_version(paper.version());
      *r.mutable_paper() = paper;
      r.mutable_paper()->set_title("党章练习（修订）");
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.PublishPaper"] = [] {
      const v1::Paper paper = NewPaper();
      v1::PublishPaperRequest r;
      r.set_paper_id(paper.id());
      r.set_expected_version(paper.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.ClosePaper"] = [] {
      const v1::Paper paper = NewPaper();
      v1::ClosePaperRequest r;
      r.set_paper_id(paper.id());
      r.set_expected_version(paper.version());
      return r.SerializeAsString();
    };
    samples["lms.v1.AssessmentService.GrantPaperOverride"] = [] {
      // A final test of the published course: overrides are for graded papers.
      v1::CreatePaperRequest create;
      *create.mutable_paper() = PaperOfA1(NewQuestion().id());
      create.mutable_paper()->set_kind(v1::PAPER_KIND_FINAL_TEST);
      create.mutable_paper()->set_course_id(kCourse);
      v1::Paper draft;
      const grpc::Status created =
          server_->assessment().CreatePaper(server_->Context(SystemAdmin()).get(), create, &draft);
      EXPECT_TRUE(created.ok()) << created.error_message();
      v1::PublishPaperRequest publish;
      publish.set_paper_id(draft.id());
      publish.set_expected_version(draft.version());
      v1::Paper published;
      const grpc::Status status = server_->assessment().PublishPaper(
          server_->Context(SystemAdmin()).get(), publish, &published);
      EXPECT_TRUE(status.ok()) << status.error_message();
      v1::GrantPaperOverrideRequest r;
      r.set_paper_id(draft.id());
      r.set_member_id(NewMember());
      r.set_extra_minutes(30);
      r.set_reason("夜班，考试中被叫走");
      return r.SerializeAsString();
    };
    return samples;
  }

  // Moves A1 under `new_parent` as a system admin, giving up after `deadline`.
  static grpc::StatusCode MoveA1(int64_t new_parent, absl::Duration deadline) {
    v1::MoveOrganizationRequest request;
    request.set_organization_id(kA1);
    request.set_new_parent_id(new_parent);
    request.set_expected_version(Version("organization", kA1));
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", SystemAdmin()));
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    v1::Organization moved;
    return server_->organizations().MoveOrganization(&context, request, &moved).error_code();
  }

  static testing::TestServer* server_;
  static int serial_;
};
testing::TestServer* WriteRaceTest::server_ = nullptr;
int WriteRaceTest::serial_ = 0;

TEST_F(WriteRaceTest, EveryScopedWriteHoldsItsDecisionAgainstAConcurrentMove) {
  const auto samples = Samples();
  int raced = 0;
  for (const std::string& service_name : server_->service_names()) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      const auth::MethodPolicy policy = auth::RequirePolicy(service_name, method.name());
      if (!policy.writes || !policy.HasScope()) continue;
      // A write only members make, on their own records (progress), rests on no subtree
      // decision: a member may name itself wherever its organisation moves.
      if (!policy.Allows(Role::kOrgAdmin)) continue;
      SCOPED_TRACE(method.full_name());
      const auto sample = samples.find(method.full_name());
      ASSERT_NE(sample, samples.end())
          << method.full_name() << " writes and names objects: add a sample request";
      const std::string request = sample->second();

      absl::Notification paused;
      absl::Notification release;
      std::atomic<bool> taken{false};
      server_->SetBeforeCommitHook([&](const call::CallContext& call) {
        if (call.method != method.full_name() || call.caller.member_id != kAdminOfA) return;
        if (taken.exchange(true)) return;  // the first attempt only
        paused.Notify();
        release.WaitForNotificationWithTimeout(absl::Seconds(30));
      });
      grpc::Status written;
      std::thread writer([&] {
        written = server_->CallRaw(
            absl::StrCat("/", service_name, "/", method.name()), request,
            {{"authorization",
              absl::StrCat("Bearer ", server_->Token(Role::kOrgAdmin, kAdminOfA, kBranchA))}});
      });
      const bool reached = paused.WaitForNotificationWithTimeout(absl::Seconds(10));
      EXPECT_TRUE(reached) << method.full_name()
                           << " never reached the write path's commit: does it run on "
                              "call::RunWrite?";
      // While the write holds its decision, a move taking A1 out of A's subtree must wait.
      absl::Notification moved;
      grpc::StatusCode move_code = grpc::StatusCode::UNKNOWN;
      std::thread mover([&] {
        move_code = MoveA1(kBranchB, absl::Seconds(20));
        moved.Notify();
      });
      if (reached) {
        EXPECT_FALSE(moved.WaitForNotificationWithTimeout(absl::Seconds(1)))
            << method.full_name() << " let a move slip between its check and its commit";
      }
      release.Notify();
      writer.join();
      mover.join();
      server_->SetBeforeCommitHook(nullptr);
      EXPECT_TRUE(written.ok()) << method.full_name() << ": " << written.error_message();
      // Once the write committed, the move went ahead; put A1 back for the next RPC.
      EXPECT_EQ(move_code, grpc::StatusCode::OK);
      ASSERT_EQ(MoveA1(kBranchA, absl::Seconds(10)), grpc::StatusCode::OK);
      ++raced;
    }
  }
  EXPECT_GE(raced, static_cast<int>(samples.size()));
}

}  // namespace
}  // namespace lms
