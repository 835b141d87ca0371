// Activities and attendance through a real gRPC channel against a real database: sign-in
// window edges, rotating codes (expired, foreign, another activity's, guessed), twice is
// once, kiosk sessions, targets, admins' lists with and without reasons, excused absence,
// closing and its credits, corrections after closing (the ledger equals a recount), the
// share of time present, versions and cancelling, organisational life against the
// cadence over a year of generated activities, and bad input with exact codes and
// nothing written.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/auth/kiosk_ticket.h"
#include "common/auth/sign_in_code.h"
#include "common/db/param.h"
#include "common/grpc/proto_time.h"
#include "common/time/china_time.h"
#include "lms/v1/activity.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;

class ActivityApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("activity_api");
    testing::SeedRootAndTwoBranches(server_->database());
  }
  static void TearDownTestSuite() { delete server_; }

  static testing::TestDatabase& Db() { return server_->database(); }
  static absl::Time Now() { return server_->clock().Now(); }

  // A branch (kind 3) of its own under the root, or a group (kind 4) under `parent`.
  static int64_t NewOrganization(int kind = 3, int64_t parent = kRoot) {
    const int64_t id = 100 + ++serial_;
    Db().Execute(absl::StrCat(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (",
        id, ", ", parent, ", '支部", id, "', 'O", id, "', ", kind, ", 1, NOW(), NOW())"));
    Db().Execute(
        absl::StrCat("INSERT INTO organization_closure (ancestor_id, descendant_id, depth)"
                     " SELECT ancestor_id, ",
                     id, ", depth + 1 FROM organization_closure WHERE descendant_id = ", parent,
                     " UNION ALL SELECT ", id, ", ", id, ", 0"));
    return id;
  }
  // A member of `organization` (category mask 2: ordinary; 8: branch committee).
  static int64_t NewMember(int64_t organization, int64_t category_mask = 2) {
    const int64_t id = 1000 + ++serial_;
    Db().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '党员", id, "', 'M", id, "', ", organization, ", ", category_mask,
        ", 1, 1, NOW(), NOW())"));
    return id;
  }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static std::string AdminOf(int64_t organization) {
    return server_->Token(Role::kOrgAdmin, 1, organization);
  }
  static std::string MemberToken(int64_t member, int64_t organization, int64_t kiosk = 0) {
    auth::Caller caller;
    caller.role = Role::kMember;
    caller.member_id = member;
    caller.organization_id = organization;
    caller.kiosk_id = kiosk;
    return server_->TokenFor(caller);
  }

  // An activity of `organization` starting `lead` from now (whole seconds), two hours
  // long, with the default windows.
  static v1::Activity Draft(int64_t organization, absl::Duration lead,
                            v1::ActivityKind kind = v1::ACTIVITY_KIND_THEME_PARTY_DAY) {
    v1::Activity activity;
    activity.set_organization_id(organization);
    activity.set_kind(kind);
    activity.set_title("主题党日：重温入党誓词");
    activity.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    activity.set_location("三楼党员活动室");
    const int64_t start = absl::ToUnixSeconds(Now() + lead);
    activity.mutable_start_time()->set_seconds(start);
    activity.mutable_end_time()->set_seconds(start + 2 * 3600);
    return activity;
  }
  static grpc::Status Create(const v1::Activity& draft, v1::Activity* created,
                             const std::string& token = "") {
    v1::CreateActivityRequest request;
    *request.mutable_activity() = draft;
    return server_->activities().CreateActivity(
        server_->Context(token.empty() ? Admin() : token).get(), request, created);
  }
  static v1::Activity Created(const v1::Activity& draft) {
    v1::Activity created;
    const grpc::Status status = Create(draft, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  static std::string Secret(int64_t activity_id) {
    v1::GetSignInSecretRequest request;
    request.set_activity_id(activity_id);
    v1::SignInSecret secret;
    const grpc::Status status =
        server_->activities().GetSignInSecret(server_->Context(Admin()).get(), request, &secret);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return secret.secret();
  }
  static std::string CodeAt(const std::string& secret, absl::Time at) {
    return auth::SignInCodeAt(std::vector<uint8_t>(secret.begin(), secret.end()), at);
  }
  static grpc::Status SignIn(int64_t activity_id, int64_t member, int64_t organization,
                             const std::string& code, v1::Attendance* attendance = nullptr,
                             int64_t kiosk = 0, bool sign_out = false) {
    v1::ActivitySignInRequest request;
    request.set_activity_id(activity_id);
    request.set_code(code);
    v1::Attendance ignored;
    auto context = server_->Context(MemberToken(member, organization, kiosk));
    if (kiosk != 0) {
      // A member session on a kiosk comes with the kiosk's own credentials.
      auth::Caller device;
      device.role = Role::kKiosk;
      device.organization_id = organization;
      device.kiosk_id = kiosk;
      context->AddMetadata("lms-kiosk-authorization",
                           absl::StrCat("Bearer ", server_->TokenFor(device)));
    }
    return sign_out ? server_->activities().SignOut(context.get(), request,
                                                    attendance ? attendance : &ignored)
                    : server_->activities().SignIn(context.get(), request,
                                                   attendance ? attendance : &ignored);
  }
  static grpc::Status Record(int64_t activity_id, const std::vector<int64_t>& members,
                             v1::AttendanceStatus status, const std::string& reason,
                             v1::RecordAttendanceResponse* response = nullptr) {
    v1::RecordAttendanceRequest request;
    request.set_activity_id(activity_id);
    for (const int64_t member : members) request.add_member_ids(member);
    request.set_status(status);
    request.set_reason(reason);
    v1::RecordAttendanceResponse ignored;
    return server_->activities().RecordAttendance(server_->Context(Admin()).get(), request,
                                                  response ? response : &ignored);
  }
  static grpc::Status Close(const v1::Activity& activity, v1::Activity* closed = nullptr) {
    v1::CloseActivityRequest request;
    request.set_activity_id(activity.id());
    request.set_expected_version(activity.version());
    v1::Activity ignored;
    return server_->activities().CloseActivity(server_->Context(Admin()).get(), request,
                                               closed ? closed : &ignored);
  }
  static v1::Activity Get(int64_t activity_id, int64_t version = 0) {
    v1::GetActivityRequest request;
    request.set_activity_id(activity_id);
    request.set_version(version);
    v1::Activity activity;
    const grpc::Status status =
        server_->activities().GetActivity(server_->Context(Admin()).get(), request, &activity);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return activity;
  }
  // A training class of `organization` starting in a day, with `capacity` seats.
  static v1::Activity NewClass(int64_t organization, int capacity) {
    v1::Activity draft = Draft(organization, absl::Hours(24), v1::ACTIVITY_KIND_TRAINING_CLASS);
    draft.set_title("入党积极分子培训班");
    draft.mutable_training_class()->set_capacity(capacity);
    return Created(draft);
  }
  static grpc::Status SignUp(int64_t activity_id, int64_t member, int64_t organization,
                             v1::ClassSeat* seat = nullptr) {
    v1::SignUpForClassRequest request;
    request.set_activity_id(activity_id);
    v1::ClassSeat ignored;
    return server_->activities().SignUpForClass(
        server_->Context(MemberToken(member, organization)).get(), request, seat ? seat : &ignored);
  }
  static grpc::Status Withdraw(int64_t activity_id, int64_t member, int64_t organization,
                               v1::WithdrawFromClassResponse* response = nullptr) {
    v1::WithdrawFromClassRequest request;
    request.set_activity_id(activity_id);
    v1::WithdrawFromClassResponse ignored;
    return server_->activities().WithdrawFromClass(
        server_->Context(MemberToken(member, organization)).get(), request,
        response ? response : &ignored);
  }
  // The member's ledger for the activity, reversals included.
  static int64_t Ledger(int64_t member, int64_t activity_id) {
    return Db().QueryInt(
        "SELECT COALESCE(SUM(hundredths), 0) FROM hours_credit WHERE member_id = ? AND"
        " (source_id = ? OR reverses_credit_id IN (SELECT id FROM hours_credit WHERE"
        " member_id = ? AND source_id = ?))",
        {member, activity_id, member, activity_id});
  }

  static testing::TestServer* server_;
  static int serial_;
};

testing::TestServer* ActivityApiTest::server_ = nullptr;
int ActivityApiTest::serial_ = 0;

TEST_F(ActivityApiTest, SignInHoldsAtTheWindowEdgesAndNowhereElse) {
  const int64_t branch = NewOrganization();
  const std::vector<int64_t> members{NewMember(branch), NewMember(branch), NewMember(branch),
                                     NewMember(branch)};
  // Starts in an hour: the window is [start - 30 min, start + 30 min).
  const v1::Activity activity = Created(Draft(branch, absl::Hours(1)));
  const absl::Time open = grpc_util::TimeFromProto(activity.sign_in_open_time());
  const absl::Time close = grpc_util::TimeFromProto(activity.sign_in_close_time());
  EXPECT_EQ(close - open, absl::Hours(1));
  const std::string secret = Secret(activity.id());

  server_->clock().Advance(open - absl::Microseconds(1) - Now());
  grpc::Status status = SignIn(activity.id(), members[0], branch, CodeAt(secret, Now()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("opens at"), std::string::npos) << status.error_message();

  server_->clock().Advance(absl::Microseconds(1));  // at opening
  EXPECT_TRUE(SignIn(activity.id(), members[0], branch, CodeAt(secret, Now())).ok());
  server_->clock().Advance(close - absl::Microseconds(1) - Now());  // the last instant
  EXPECT_TRUE(SignIn(activity.id(), members[1], branch, CodeAt(secret, Now())).ok());
  server_->clock().Advance(absl::Microseconds(1));  // at closing: closed
  status = SignIn(activity.id(), members[2], branch, CodeAt(secret, Now()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("closed at"), std::string::npos);
  server_->clock().Advance(absl::Hours(1));
  EXPECT_EQ(SignIn(activity.id(), members[3], branch, CodeAt(secret, Now())).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get(activity.id()).attendee_count(), 2);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ?",
                          {activity.id()}),
            2);
}

TEST_F(ActivityApiTest, OnlyTheCodeShownNowOrJustBeforeSignsIn) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(10)));
  const v1::Activity other = Created(Draft(branch, absl::Minutes(10)));
  const std::string secret = Secret(activity.id());
  const absl::Time now = Now();

  // Sent to someone at home a minute and a half ago: expired.
  EXPECT_EQ(
      SignIn(activity.id(), member, branch, CodeAt(secret, now - absl::Seconds(90))).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // Another activity's code, and a code made up.
  EXPECT_EQ(SignIn(activity.id(), member, branch, CodeAt(Secret(other.id()), now)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(SignIn(activity.id(), member, branch, "12345").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(SignIn(activity.id(), member, branch, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // The code of the period before (typed as it changed) still counts.
  v1::Attendance attendance;
  ASSERT_TRUE(SignIn(activity.id(), member, branch,
                     CodeAt(secret, now - absl::Seconds(auth::kSignInCodePeriodSeconds)),
                     &attendance)
                  .ok());
  EXPECT_EQ(attendance.sign_in_method(), v1::ATTENDANCE_METHOD_CODE);
  EXPECT_EQ(attendance.status(), v1::ATTENDANCE_STATUS_PRESENT);
}

TEST_F(ActivityApiTest, GuessingCodesIsStoppedAfterTenWrongOnes) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(10)));
  const std::string right = CodeAt(Secret(activity.id()), Now());
  int denied = 0;
  for (int guess = 0; guess < 10; ++guess) {
    const std::string code = absl::StrCat(100000 + guess);
    if (code == right) continue;
    denied += SignIn(activity.id(), member, branch, code).error_code() ==
              grpc::StatusCode::PERMISSION_DENIED;
  }
  EXPECT_GE(denied, 9);
  for (int guess = 10; denied < 10; ++guess) {
    const std::string code = absl::StrCat(100000 + guess);
    if (code != right) denied += SignIn(activity.id(), member, branch, code).ok() ? 0 : 1;
  }
  // Now even the right code waits out the window.
  EXPECT_EQ(SignIn(activity.id(), member, branch, right).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE member_id = ?", {member}),
            0);
  server_->clock().Advance(absl::Minutes(10));
  const v1::Activity later = Created(Draft(branch, absl::Minutes(10)));
  EXPECT_TRUE(SignIn(later.id(), member, branch, CodeAt(Secret(later.id()), Now())).ok());
}

TEST_F(ActivityApiTest, SigningInTwiceIsOnceAndAKioskSessionNeedsNoCode) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const int64_t on_kiosk = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(5)));
  const std::string secret = Secret(activity.id());
  v1::Attendance first;
  v1::Attendance second;
  ASSERT_TRUE(SignIn(activity.id(), member, branch, CodeAt(secret, Now()), &first).ok());
  server_->clock().Advance(absl::Minutes(1));
  ASSERT_TRUE(SignIn(activity.id(), member, branch, CodeAt(secret, Now()), &second).ok());
  EXPECT_EQ(second.sign_in_time().seconds(), first.sign_in_time().seconds());
  EXPECT_EQ(second.sign_in_time().nanos(), first.sign_in_time().nanos());

  Db().Execute(absl::StrCat(
      "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES (",
      5000 + serial_, ", ", branch, ", '活动室', REPEAT('c', 64), NOW())"));
  v1::Attendance kiosk;
  ASSERT_TRUE(SignIn(activity.id(), on_kiosk, branch, "", &kiosk, 5000 + serial_).ok());
  EXPECT_EQ(kiosk.sign_in_method(), v1::ATTENDANCE_METHOD_KIOSK);
  EXPECT_EQ(kiosk.kiosk_id(), 5000 + serial_);
  EXPECT_EQ(Get(activity.id()).attendee_count(), 2);
}

TEST_F(ActivityApiTest, MembersOutsideTheTargetsAreRefused) {
  const int64_t branch = NewOrganization();
  const int64_t committee_member = NewMember(branch, 8);  // 支委
  const int64_t ordinary = NewMember(branch, 2);
  const int64_t other_branch = NewOrganization();
  const int64_t elsewhere = NewMember(other_branch);
  v1::Activity draft = Draft(branch, absl::Minutes(5), v1::ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING);
  draft.mutable_targets()->add_member_categories(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  const v1::Activity activity = Created(draft);
  const std::string code = CodeAt(Secret(activity.id()), Now());
  EXPECT_TRUE(SignIn(activity.id(), committee_member, branch, code).ok());
  EXPECT_EQ(SignIn(activity.id(), ordinary, branch, code).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A member of another branch cannot even name it.
  EXPECT_EQ(SignIn(activity.id(), elsewhere, other_branch, code).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A branch's members include those of its Party groups.
  const int64_t group = NewOrganization(4, branch);
  const int64_t in_group = NewMember(group);
  const v1::Activity meeting = Created(Draft(branch, absl::Minutes(5)));
  EXPECT_TRUE(SignIn(meeting.id(), in_group, group, CodeAt(Secret(meeting.id()), Now())).ok());
  EXPECT_EQ(Get(meeting.id()).attendee_count(), 1);

  // A committee's lecture for its whole subtree reaches the branches' members.
  const int64_t committee = NewOrganization(1);
  const int64_t below = NewOrganization(3, committee);
  const int64_t member_below = NewMember(below);
  v1::Activity lecture = Draft(committee, absl::Minutes(5), v1::ACTIVITY_KIND_PARTY_LECTURE);
  const v1::Activity own_only = Created(lecture);
  lecture.mutable_targets()->set_include_subtree(true);
  const v1::Activity subtree = Created(lecture);
  EXPECT_EQ(
      SignIn(own_only.id(), member_below, below, CodeAt(Secret(own_only.id()), Now())).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(SignIn(subtree.id(), member_below, below, CodeAt(Secret(subtree.id()), Now())).ok());
}

TEST_F(ActivityApiTest, ClosingCreditsEachAttendeeOnceAndTheLecturer) {
  const int64_t branch = NewOrganization();
  const int64_t lecturer = NewMember(branch, 8);
  const int64_t a = NewMember(branch);
  const int64_t b = NewMember(branch);
  const int64_t excused = NewMember(branch);
  NewMember(branch);  // absent
  v1::Activity draft = Draft(branch, absl::Minutes(5), v1::ACTIVITY_KIND_PARTY_LECTURE);
  draft.mutable_lecturer()->set_member_id(lecturer);
  const v1::Activity activity = Created(draft);
  // A two-hour Party lecture: 2 hours per half day by default; the lecturer 4.
  EXPECT_EQ(activity.hours().hundredths(), 200);
  EXPECT_EQ(activity.lecturer_hours().hundredths(), 400);
  EXPECT_EQ(activity.state(), v1::ACTIVITY_STATE_SCHEDULED);
  // Too early to close; excused absence may be recorded ahead.
  EXPECT_EQ(Close(activity).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Record(activity.id(), {excused}, v1::ATTENDANCE_STATUS_EXCUSED, "夜班请假").ok());
  EXPECT_EQ(Record(activity.id(), {a}, v1::ATTENDANCE_STATUS_PRESENT, "纸质签到").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  const std::string secret = Secret(activity.id());
  ASSERT_TRUE(SignIn(activity.id(), a, branch, CodeAt(secret, Now())).ok());
  server_->clock().Advance(absl::Minutes(10));
  EXPECT_EQ(Get(activity.id()).state(), v1::ACTIVITY_STATE_HELD);
  ASSERT_TRUE(Record(activity.id(), {b}, v1::ATTENDANCE_STATUS_PRESENT, "手机没电，纸质签到").ok());

  v1::Activity closed;
  ASSERT_TRUE(Close(activity, &closed).ok());
  EXPECT_EQ(closed.state(), v1::ACTIVITY_STATE_CLOSED);
  EXPECT_EQ(closed.attendee_count(), 2);
  EXPECT_EQ(closed.targeted_count(), 5);
  EXPECT_EQ(Ledger(a, activity.id()), 200);
  EXPECT_EQ(Ledger(b, activity.id()), 200);
  EXPECT_EQ(Ledger(excused, activity.id()), 0);
  EXPECT_EQ(Ledger(lecturer, activity.id()), 400);
  // Closing again answers the closed activity and credits nothing more.
  v1::Activity again;
  ASSERT_TRUE(Close(activity, &again).ok());
  EXPECT_EQ(again.close_time().seconds(), closed.close_time().seconds());
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE source_id = ? AND source = 3",
                          {activity.id()}),
            3);
  // The hours show in the member's summary under attendance.
  v1::GetHoursSummaryRequest summary_request;
  summary_request.set_member_id(a);
  summary_request.set_year(absl::ToCivilYear(Now(), ChinaTimeZone()).year());
  v1::HoursSummary summary;
  ASSERT_TRUE(server_->progress()
                  .GetHoursSummary(server_->Context(Admin()).get(), summary_request, &summary)
                  .ok());
  EXPECT_EQ(summary.earned().hundredths(), 200);
  ASSERT_EQ(summary.by_source_size(), 1);
  EXPECT_EQ(summary.by_source(0).source(), v1::CREDIT_SOURCE_ATTENDANCE);
  // Signing in after closing is refused; editing too.
  EXPECT_EQ(SignIn(activity.id(), excused, branch, CodeAt(secret, Now())).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ActivityApiTest, CorrectionsAfterClosingCreditOrReverseAndTheLedgerEqualsARecount) {
  const int64_t branch = NewOrganization();
  const int64_t a = NewMember(branch);
  const int64_t b = NewMember(branch);
  const int64_t c = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(-10)));
  const std::string code = CodeAt(Secret(activity.id()), Now());
  ASSERT_TRUE(SignIn(activity.id(), a, branch, code).ok());
  ASSERT_TRUE(SignIn(activity.id(), b, branch, code).ok());
  ASSERT_TRUE(Close(activity).ok());

  // b was not there after all; c was, on paper.
  v1::RecordAttendanceResponse response;
  ASSERT_TRUE(
      Record(activity.id(), {b}, v1::ATTENDANCE_STATUS_ABSENT, "代签，核实未到", &response).ok());
  EXPECT_EQ(response.reversed().hundredths(), 200);
  EXPECT_EQ(response.credited().hundredths(), 0);
  ASSERT_TRUE(
      Record(activity.id(), {c}, v1::ATTENDANCE_STATUS_PRESENT, "纸质签到补录", &response).ok());
  EXPECT_EQ(response.credited().hundredths(), 200);
  // Recording the same again changes nothing; b comes back on appeal: a new credit.
  ASSERT_TRUE(
      Record(activity.id(), {c}, v1::ATTENDANCE_STATUS_PRESENT, "纸质签到补录", &response).ok());
  EXPECT_EQ(response.credited().hundredths(), 0);
  ASSERT_TRUE(Record(activity.id(), {b}, v1::ATTENDANCE_STATUS_PRESENT, "复核确认到会").ok());

  EXPECT_EQ(Ledger(a, activity.id()), 200);
  EXPECT_EQ(Ledger(b, activity.id()), 200);
  EXPECT_EQ(Ledger(c, activity.id()), 200);
  // Nothing was edited: b has a credit, its reversal, and a second credit.
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE member_id = ?", {b}), 3);
  // The ledger equals a recount of the attendance, and the summaries the ledger.
  EXPECT_EQ(Db().QueryInt("SELECT SUM(credited_hundredths) FROM activity_attendance"
                          " WHERE activity_id = ?",
                          {activity.id()}),
            600);
  for (const int64_t member : {a, b, c}) {
    EXPECT_EQ(Db().QueryInt("SELECT COALESCE(SUM(hundredths), 0) FROM member_year_hours"
                            " WHERE member_id = ?",
                            {member}),
              200);
  }
  v1::ListAttendanceRequest list;
  list.set_activity_id(activity.id());
  v1::ListAttendanceResponse page;
  ASSERT_TRUE(
      server_->activities().ListAttendance(server_->Context(Admin()).get(), list, &page).ok());
  EXPECT_EQ(page.present_count(), 3);
  EXPECT_EQ(page.targeted_count(), 3);
  ASSERT_EQ(page.attendances_size(), 3);
  EXPECT_EQ(page.attendances(2).sign_in_method(), v1::ATTENDANCE_METHOD_ADMIN);
  EXPECT_EQ(page.attendances(2).reason(), "纸质签到补录");
}

TEST_F(ActivityApiTest, AdminListsNeedAReasonAndKnownMembers) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(-10)));
  EXPECT_EQ(Record(activity.id(), {member}, v1::ATTENDANCE_STATUS_PRESENT, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      Record(activity.id(), {member, member}, v1::ATTENDANCE_STATUS_PRESENT, "补录").error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      Record(activity.id(), {member, 987654}, v1::ATTENDANCE_STATUS_PRESENT, "补录").error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ?",
                          {activity.id()}),
            0);
  v1::RecordAttendanceResponse response;
  ASSERT_TRUE(
      Record(activity.id(), {member}, v1::ATTENDANCE_STATUS_PRESENT, "补录", &response).ok());
  ASSERT_EQ(response.attendances_size(), 1);
  EXPECT_EQ(response.attendances(0).recorded_by(), 1);
}

TEST_F(ActivityApiTest, WithSignOutAMemberIsCreditedTheShareOfTimePresent) {
  const int64_t branch = NewOrganization();
  const int64_t whole = NewMember(branch);
  const int64_t half = NewMember(branch);
  const int64_t never_out = NewMember(branch);
  v1::Activity draft = Draft(branch, absl::Minutes(1), v1::ACTIVITY_KIND_EXPERT_LECTURE);
  draft.set_sign_out_required(true);
  // Four hours: one half day of an expert lecture, 4 hours by default.
  draft.mutable_end_time()->set_seconds(draft.start_time().seconds() + 4 * 3600);
  // Sign-out open all afternoon, so leaving early can be recorded.
  draft.mutable_sign_out_open_time()->set_seconds(draft.start_time().seconds());
  draft.mutable_sign_out_close_time()->set_seconds(draft.end_time().seconds() + 3600);
  const v1::Activity activity = Created(draft);
  EXPECT_EQ(activity.hours().hundredths(), 400);
  const std::string secret = Secret(activity.id());
  server_->clock().Advance(grpc_util::TimeFromProto(activity.start_time()) - Now());  // start
  for (const int64_t member : {whole, half, never_out}) {
    ASSERT_TRUE(SignIn(activity.id(), member, branch, CodeAt(secret, Now())).ok());
  }
  server_->clock().Advance(absl::Hours(2));
  ASSERT_TRUE(SignIn(activity.id(), half, branch, CodeAt(secret, Now()), nullptr, 0, true).ok());
  server_->clock().Advance(absl::Hours(2));
  ASSERT_TRUE(SignIn(activity.id(), whole, branch, CodeAt(secret, Now()), nullptr, 0, true).ok());
  ASSERT_TRUE(Close(activity).ok());
  EXPECT_EQ(Ledger(whole, activity.id()), 400);
  EXPECT_EQ(Ledger(half, activity.id()), 200);
  EXPECT_EQ(Ledger(never_out, activity.id()), 0);
}

TEST_F(ActivityApiTest, EditsAreVersionsAndCancellingStopsSignIn) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(5)));
  const std::string secret_key = Secret(activity.id());
  v1::UpdateActivityRequest update;
  update.set_activity_id(activity.id());
  update.set_expected_version(activity.version());
  *update.mutable_activity() = Draft(branch, absl::Minutes(5));
  update.mutable_activity()->set_title("主题党日：学习党章");
  v1::Activity edited;
  ASSERT_TRUE(
      server_->activities().UpdateActivity(server_->Context(Admin()).get(), update, &edited).ok());
  EXPECT_EQ(edited.version(), 2);
  EXPECT_EQ(Get(activity.id(), 1).title(), "主题党日：重温入党誓词");
  EXPECT_EQ(Get(activity.id()).title(), "主题党日：学习党章");
  // A stale copy is refused.
  EXPECT_EQ(server_->activities()
                .UpdateActivity(server_->Context(Admin()).get(), update, &edited)
                .error_code(),
            grpc::StatusCode::ABORTED);
  // Once someone signed in, an edit needs a reason.
  ASSERT_TRUE(SignIn(activity.id(), member, branch, CodeAt(secret_key, Now())).ok());
  update.set_expected_version(2);
  EXPECT_EQ(server_->activities()
                .UpdateActivity(server_->Context(Admin()).get(), update, &edited)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  update.set_change_reason("地点调整");
  ASSERT_TRUE(
      server_->activities().UpdateActivity(server_->Context(Admin()).get(), update, &edited).ok());
  EXPECT_EQ(edited.change_reason(), "地点调整");

  v1::CancelActivityRequest cancel;
  cancel.set_activity_id(activity.id());
  cancel.set_expected_version(edited.version());
  v1::Activity cancelled;
  EXPECT_EQ(server_->activities()
                .CancelActivity(server_->Context(Admin()).get(), cancel, &cancelled)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  cancel.set_reason("台风停工");
  ASSERT_TRUE(server_->activities()
                  .CancelActivity(server_->Context(Admin()).get(), cancel, &cancelled)
                  .ok());
  EXPECT_EQ(cancelled.state(), v1::ACTIVITY_STATE_CANCELLED);
  const int64_t other = NewMember(branch);
  const grpc::Status refused = SignIn(activity.id(), other, branch, CodeAt(secret_key, Now()));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Close(edited).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::GetSignInSecretRequest secret_request;
  secret_request.set_activity_id(activity.id());
  v1::SignInSecret secret;
  EXPECT_EQ(server_->activities()
                .GetSignInSecret(server_->Context(Admin()).get(), secret_request, &secret)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ActivityApiTest, NoAnswerAMemberGetsCarriesTheSecret) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(5)));
  const std::string secret = Secret(activity.id());
  v1::GetActivityRequest get;
  get.set_activity_id(activity.id());
  v1::Activity seen;
  ASSERT_TRUE(server_->activities()
                  .GetActivity(server_->Context(MemberToken(member, branch)).get(), get, &seen)
                  .ok());
  EXPECT_EQ(seen.SerializeAsString().find(secret), std::string::npos);
  v1::GetSignInSecretRequest secret_request;
  secret_request.set_activity_id(activity.id());
  v1::SignInSecret got;
  EXPECT_EQ(server_->activities()
                .GetSignInSecret(server_->Context(MemberToken(member, branch)).get(),
                                 secret_request, &got)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ActivityApiTest, ListsActivitiesOfADayRangePageByPage) {
  const int64_t branch = NewOrganization();
  for (int i = 0; i < 5; ++i) Created(Draft(branch, absl::Hours(24 * i + 1)));
  v1::ListActivitiesRequest request;
  request.set_organization_id(branch);
  const absl::CivilDay today = TodayInChina(Now());
  grpc_util::SetDate(today, request.mutable_from_date());
  grpc_util::SetDate(today + 10, request.mutable_to_date());
  request.set_page_size(2);
  std::vector<int64_t> seen;
  absl::Time last = absl::InfinitePast();
  do {
    v1::ListActivitiesResponse page;
    ASSERT_TRUE(
        server_->activities().ListActivities(server_->Context(Admin()).get(), request, &page).ok());
    for (const v1::Activity& activity : page.activities()) {
      seen.push_back(activity.id());
      EXPECT_GE(grpc_util::TimeFromProto(activity.start_time()), last);
      last = grpc_util::TimeFromProto(activity.start_time());
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(ActivityApiTest, AMemberListsTheActivitiesTargetingThemWhereverOrganised) {
  const int64_t committee = NewOrganization(1);
  const int64_t branch = NewOrganization(3, committee);
  const int64_t group = NewOrganization(4, branch);
  const int64_t member = NewMember(group);
  const v1::Activity branch_day = Created(Draft(branch, absl::Hours(1)));
  v1::Activity lecture = Draft(committee, absl::Hours(2), v1::ACTIVITY_KIND_PARTY_LECTURE);
  lecture.mutable_targets()->set_include_subtree(true);
  const v1::Activity subtree_lecture = Created(lecture);
  Created(Draft(committee, absl::Hours(3)));  // the committee's own members only
  v1::Activity committee_only =
      Draft(branch, absl::Hours(4), v1::ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING);
  committee_only.mutable_targets()->add_member_categories(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  Created(committee_only);
  Created(Draft(NewOrganization(), absl::Hours(1)));  // another branch's
  v1::ListActivitiesRequest request;
  request.set_for_me(true);
  const absl::CivilDay today = TodayInChina(Now());
  grpc_util::SetDate(today - 1, request.mutable_from_date());
  grpc_util::SetDate(today + 2, request.mutable_to_date());
  v1::ListActivitiesResponse mine;
  ASSERT_TRUE(
      server_->activities()
          .ListActivities(server_->Context(MemberToken(member, group)).get(), request, &mine)
          .ok());
  ASSERT_EQ(mine.activities_size(), 2);
  EXPECT_EQ(mine.activities(0).id(), branch_day.id());
  EXPECT_EQ(mine.activities(1).id(), subtree_lecture.id());
  request.set_organization_id(branch);
  EXPECT_EQ(server_->activities()
                .ListActivities(server_->Context(MemberToken(member, group)).get(), request, &mine)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// A year of generated activities for three organisations: the report lists the one that
// held nothing first, then the one behind, with exact counts and attendance rates.
TEST_F(ActivityApiTest, OrganizationalLifeIsMeasuredAgainstTheCadence) {
  const int64_t committee = NewOrganization(1);
  const int64_t diligent = NewOrganization(3, committee);
  const int64_t lagging = NewOrganization(3, committee);
  const int64_t idle = NewOrganization(3, committee);
  const int64_t group = NewOrganization(4, diligent);
  const int64_t member = NewMember(diligent);
  NewMember(diligent);
  NewMember(lagging);
  // The idle branch owes theme days every other month only (its own override).
  Db().Execute(absl::StrCat(
      "INSERT INTO setting_change (setting_key, organization_id, version, value, cleared,"
      " effective_from, changed_by, change_time) VALUES ('activity.cadence.theme_party_day', ",
      idle, ", 1, 6, 0, '2000-01-01', 1, NOW())"));
  // The last twelve whole months.
  const absl::CivilDay today = TodayInChina(Now());
  const absl::CivilMonth this_month(today);
  const absl::CivilDay from(this_month - 12);
  const absl::CivilDay to = absl::CivilDay(this_month) - 1;
  const auto at = [](absl::CivilMonth month, int day) {
    return absl::FromCivil(absl::CivilSecond(month.year(), month.month(), day, 9, 0, 0),
                           ChinaTimeZone());
  };
  const auto hold = [&](int64_t organization, v1::ActivityKind kind, absl::Time start) {
    v1::Activity draft = Draft(organization, absl::ZeroDuration(), kind);
    draft.mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
    draft.mutable_end_time()->set_seconds(absl::ToUnixSeconds(start) + 7200);
    return Created(draft);
  };
  for (int m = 0; m < 12; ++m) {
    const absl::CivilMonth month = this_month - 12 + m;
    hold(diligent, v1::ACTIVITY_KIND_THEME_PARTY_DAY, at(month, 5));
    hold(diligent, v1::ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING, at(month, 6));
    hold(group, v1::ACTIVITY_KIND_GROUP_MEETING, at(month, 7));
    if (m % 3 == 0) {
      hold(diligent, v1::ACTIVITY_KIND_BRANCH_GENERAL_MEETING, at(month, 8));
      hold(diligent, v1::ACTIVITY_KIND_PARTY_LECTURE, at(month, 9));
    }
    // The lagging branch misses two committee meetings and two theme days.
    if (m >= 2) hold(lagging, v1::ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING, at(month, 6));
    if (m % 6 != 0) hold(lagging, v1::ACTIVITY_KIND_THEME_PARTY_DAY, at(month, 5));
    if (m % 3 == 0) {
      hold(lagging, v1::ACTIVITY_KIND_BRANCH_GENERAL_MEETING, at(month, 8));
      hold(lagging, v1::ACTIVITY_KIND_PARTY_LECTURE, at(month, 9));
    }
  }
  hold(diligent, v1::ACTIVITY_KIND_ORGANIZATIONAL_LIFE_MEETING, at(this_month - 2, 20));
  hold(lagging, v1::ACTIVITY_KIND_ORGANIZATIONAL_LIFE_MEETING, at(this_month - 2, 20));
  // A cancelled one counts for nothing; one of this month lies outside the period.
  v1::Activity cancelled = hold(idle, v1::ACTIVITY_KIND_THEME_PARTY_DAY, at(this_month - 1, 3));
  v1::CancelActivityRequest cancel;
  cancel.set_activity_id(cancelled.id());
  cancel.set_expected_version(1);
  cancel.set_reason("改期");
  ASSERT_TRUE(server_->activities()
                  .CancelActivity(server_->Context(Admin()).get(), cancel, &cancelled)
                  .ok());
  // Half of the diligent branch came to one theme day, recorded by the admin.
  v1::ListActivitiesRequest list;
  list.set_organization_id(diligent);
  grpc_util::SetDate(to - 40, list.mutable_from_date());
  grpc_util::SetDate(to, list.mutable_to_date());
  list.add_kinds(v1::ACTIVITY_KIND_THEME_PARTY_DAY);
  v1::ListActivitiesResponse listed;
  ASSERT_TRUE(
      server_->activities().ListActivities(server_->Context(Admin()).get(), list, &listed).ok());
  ASSERT_GE(listed.activities_size(), 1);
  const v1::Activity attended = listed.activities(listed.activities_size() - 1);
  ASSERT_TRUE(Record(attended.id(), {member}, v1::ATTENDANCE_STATUS_PRESENT, "补录").ok());
  ASSERT_TRUE(Close(attended).ok());

  v1::ListOrganizationalLifeRequest request;
  request.set_organization_id(committee);
  grpc_util::SetDate(from, request.mutable_from_date());
  grpc_util::SetDate(to, request.mutable_to_date());
  v1::ListOrganizationalLifeResponse report;
  ASSERT_TRUE(
      server_->activities()
          .ListOrganizationalLife(server_->Context(AdminOf(committee)).get(), request, &report)
          .ok());
  ASSERT_EQ(report.organizations_size(), 4);  // three branches and the group
  // Idle: 4 + 12 + 4 + 6 + 1 owed, nothing held.
  EXPECT_EQ(report.organizations(0).organization_id(), idle);
  EXPECT_EQ(report.organizations(0).shortfall(), 27);
  EXPECT_EQ(report.organizations(0).kinds_behind(), 5);
  EXPECT_EQ(report.organizations(1).organization_id(), lagging);
  EXPECT_EQ(report.organizations(1).shortfall(), 4);
  EXPECT_EQ(report.organizations(1).kinds_behind(), 2);
  for (const v1::CadenceStatus& cadence : report.organizations(1).cadences()) {
    if (cadence.kind() == v1::ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING) {
      EXPECT_EQ(cadence.required(), 12);
      EXPECT_EQ(cadence.held(), 10);
      EXPECT_TRUE(cadence.behind());
    }
    if (cadence.kind() == v1::ACTIVITY_KIND_PARTY_LECTURE) {
      EXPECT_EQ(cadence.required(), 4);
      EXPECT_EQ(cadence.held(), 4);
      EXPECT_FALSE(cadence.behind());
    }
  }
  // The diligent branch and its group keep up, by organisation id.
  EXPECT_EQ(report.organizations(2).organization_id(), diligent);
  EXPECT_EQ(report.organizations(2).shortfall(), 0);
  EXPECT_EQ(report.organizations(3).organization_id(), group);
  ASSERT_EQ(report.organizations(3).cadences_size(), 1);
  EXPECT_EQ(report.organizations(3).cadences(0).held(), 12);
  EXPECT_EQ(report.organizations(2).activities_size(), 12 + 12 + 4 + 4 + 1);
  bool rated = false;
  for (const v1::HeldActivity& held : report.organizations(2).activities()) {
    if (held.activity_id() != attended.id()) continue;
    EXPECT_EQ(held.targeted_count(), 2);
    EXPECT_EQ(held.present_count(), 1);
    EXPECT_EQ(held.attendance_permille(), 500);
    rated = true;
  }
  EXPECT_TRUE(rated);
  // Paged one at a time, the same order.
  request.set_page_size(1);
  std::vector<int64_t> order;
  do {
    v1::ListOrganizationalLifeResponse page;
    ASSERT_TRUE(server_->activities()
                    .ListOrganizationalLife(server_->Context(Admin()).get(), request, &page)
                    .ok());
    for (const auto& life : page.organizations()) order.push_back(life.organization_id());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(order, (std::vector<int64_t>{idle, lagging, diligent, group}));
}

// 50 members sign up at once for 10 seats while some of the seated withdraw: never more
// than 10 seated, the waitlist in sign-up order, and every freed seat to the first in line.
TEST_F(ActivityApiTest, ConcurrentSignUpsNeverOverbookAndTheWaitlistKeepsItsOrder) {
  const int64_t branch = NewOrganization();
  std::vector<int64_t> members;
  for (int i = 0; i < 50; ++i) members.push_back(NewMember(branch));
  const v1::Activity training = NewClass(branch, 10);
  std::vector<grpc::Status> results(members.size());
  std::vector<v1::ClassSeat> seats(members.size());
  std::vector<std::thread> threads;
  std::atomic<int> withdrawn{0};
  for (size_t i = 0; i < members.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = SignUp(training.id(), members[i], branch, &seats[i]);
      // Every fifth member changes their mind at once, seated or waiting.
      if (results[i].ok() && i % 5 == 0 && Withdraw(training.id(), members[i], branch).ok()) {
        ++withdrawn;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const grpc::Status& status : results) {
    EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  }
  EXPECT_EQ(withdrawn.load(), 10);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM class_seat WHERE activity_id = ? AND state = 1",
                          {training.id()}),
            10);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM class_seat WHERE activity_id = ? AND state = 2",
                          {training.id()}),
            30);
  // Everyone seated signed up before everyone waiting; sign-up numbers are distinct.
  EXPECT_LT(Db().QueryInt("SELECT MAX(position) FROM class_seat WHERE activity_id = ?"
                          " AND state = 1",
                          {training.id()}),
            Db().QueryInt("SELECT MIN(position) FROM class_seat WHERE activity_id = ?"
                          " AND state = 2",
                          {training.id()}));
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(DISTINCT position) FROM class_seat WHERE activity_id = ?",
                          {training.id()}),
            50);

  // The listing: seated, then the line with its places 1, 2, 3...
  v1::ListClassSeatsRequest list;
  list.set_activity_id(training.id());
  list.set_page_size(100);
  v1::ListClassSeatsResponse page;
  ASSERT_TRUE(
      server_->activities().ListClassSeats(server_->Context(Admin()).get(), list, &page).ok());
  EXPECT_EQ(page.seated_count(), 10);
  EXPECT_EQ(page.waiting_count(), 30);
  ASSERT_EQ(page.seats_size(), 50);
  int place = 0;
  for (const v1::ClassSeat& seat : page.seats()) {
    if (seat.state() == v1::SEAT_STATE_WAITING) {
      EXPECT_EQ(seat.waitlist_place(), ++place);
    }
  }
  EXPECT_EQ(place, 30);

  // A seated member withdraws: the first in line gets the seat, and the line moves up.
  int64_t seated_member = 0;
  int64_t first_waiting = 0;
  for (const v1::ClassSeat& seat : page.seats()) {
    if (seat.state() == v1::SEAT_STATE_SEATED && seated_member == 0) {
      seated_member = seat.member_id();
    }
    if (seat.state() == v1::SEAT_STATE_WAITING && first_waiting == 0) {
      first_waiting = seat.member_id();
    }
  }
  v1::WithdrawFromClassResponse withdrawal;
  ASSERT_TRUE(Withdraw(training.id(), seated_member, branch, &withdrawal).ok());
  EXPECT_EQ(withdrawal.seat().state(), v1::SEAT_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawal.promoted().member_id(), first_waiting);
  EXPECT_EQ(withdrawal.promoted().state(), v1::SEAT_STATE_SEATED);
  // Twice is once.
  v1::WithdrawFromClassResponse again;
  ASSERT_TRUE(Withdraw(training.id(), seated_member, branch, &again).ok());
  EXPECT_FALSE(again.has_promoted());
  // Three more seats: the next three in line are seated.
  v1::UpdateActivityRequest update;
  update.set_activity_id(training.id());
  update.set_expected_version(1);
  *update.mutable_activity() = Get(training.id());
  update.mutable_activity()->mutable_training_class()->set_capacity(13);
  v1::Activity bigger;
  ASSERT_TRUE(
      server_->activities().UpdateActivity(server_->Context(Admin()).get(), update, &bigger).ok());
  EXPECT_EQ(bigger.training_class().seated_count(), 13);
  EXPECT_EQ(bigger.training_class().waiting_count(), 26);
  // A listing shows the same seats.
  v1::ListActivitiesRequest listing;
  listing.set_organization_id(branch);
  grpc_util::SetDate(TodayInChina(Now()), listing.mutable_from_date());
  grpc_util::SetDate(TodayInChina(Now()) + 2, listing.mutable_to_date());
  v1::ListActivitiesResponse listed;
  ASSERT_TRUE(
      server_->activities().ListActivities(server_->Context(Admin()).get(), listing, &listed).ok());
  ASSERT_EQ(listed.activities_size(), 1);
  EXPECT_EQ(listed.activities(0).training_class().seated_count(), 13);
  EXPECT_EQ(listed.activities(0).training_class().waiting_count(), 26);
  // Fewer seats than members seated: refused.
  update.set_expected_version(2);
  update.mutable_activity()->mutable_training_class()->set_capacity(5);
  EXPECT_EQ(server_->activities()
                .UpdateActivity(server_->Context(Admin()).get(), update, &bigger)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ActivityApiTest, OnlySeatedMembersSignInToAClassAndAreCreditedForIt) {
  const int64_t branch = NewOrganization();
  const int64_t seated = NewMember(branch);
  const int64_t waiting = NewMember(branch);
  const int64_t outsider = NewMember(NewOrganization());
  v1::Activity draft = Draft(branch, absl::Hours(1), v1::ACTIVITY_KIND_TRAINING_CLASS);
  draft.mutable_training_class()->set_capacity(1);
  // A day's class: two half days of 4 hours by default.
  draft.mutable_end_time()->set_seconds(draft.start_time().seconds() + 8 * 3600);
  const v1::Activity training = Created(draft);
  EXPECT_EQ(training.hours().hundredths(), 800);
  v1::ClassSeat seat;
  ASSERT_TRUE(SignUp(training.id(), seated, branch, &seat).ok());
  EXPECT_EQ(seat.state(), v1::SEAT_STATE_SEATED);
  ASSERT_TRUE(SignUp(training.id(), waiting, branch, &seat).ok());
  EXPECT_EQ(seat.state(), v1::SEAT_STATE_WAITING);
  EXPECT_EQ(seat.waitlist_place(), 1);
  // Signing up again answers the same place.
  ASSERT_TRUE(SignUp(training.id(), waiting, branch, &seat).ok());
  EXPECT_EQ(seat.waitlist_place(), 1);
  EXPECT_EQ(SignUp(training.id(), outsider, branch).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Not a class: no seats.
  const v1::Activity meeting = Created(Draft(branch, absl::Hours(1)));
  EXPECT_EQ(SignUp(meeting.id(), seated, branch).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  const std::string secret = Secret(training.id());
  server_->clock().Advance(absl::Hours(1));
  EXPECT_EQ(SignIn(training.id(), waiting, branch, CodeAt(secret, Now())).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(SignIn(training.id(), seated, branch, CodeAt(secret, Now())).ok());
  // Sign-up is over once the class has started, for withdrawing too.
  EXPECT_EQ(SignUp(training.id(), NewMember(branch), branch).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Withdraw(training.id(), seated, branch).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Activity closed;
  ASSERT_TRUE(Close(training, &closed).ok());
  EXPECT_EQ(closed.targeted_count(), 1);
  EXPECT_EQ(Ledger(seated, training.id()), 800);
  EXPECT_EQ(Ledger(waiting, training.id()), 0);
}

TEST_F(ActivityApiTest, AClassSignUpWindowHoldsForMembersAndAPlanMustCoverTheClass) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  v1::Activity draft = Draft(branch, absl::Hours(48), v1::ACTIVITY_KIND_TRAINING_CLASS);
  draft.mutable_training_class()->set_capacity(30);
  const int64_t opens = absl::ToUnixSeconds(Now() + absl::Hours(1));
  draft.mutable_training_class()->mutable_sign_up_open_time()->set_seconds(opens);
  draft.mutable_training_class()->mutable_sign_up_close_time()->set_seconds(opens + 3600);
  const v1::Activity training = Created(draft);
  EXPECT_EQ(SignUp(training.id(), member, branch).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // An admin adds a member regardless of the window.
  v1::SignUpForClassRequest by_admin;
  by_admin.set_activity_id(training.id());
  by_admin.set_member_id(NewMember(branch));
  v1::ClassSeat seat;
  ASSERT_TRUE(
      server_->activities().SignUpForClass(server_->Context(Admin()).get(), by_admin, &seat).ok());
  EXPECT_EQ(seat.state(), v1::SEAT_STATE_SEATED);
  server_->clock().Advance(absl::Hours(1));
  EXPECT_TRUE(SignUp(training.id(), member, branch).ok());

  // A plan of another branch cannot hold the class; one of the root can.
  testing::SeedDraftPlan(Db(), 7000 + serial_, 3, 2026);
  testing::SeedDraftPlan(Db(), 7100 + serial_, kRoot, 2026);
  draft.mutable_training_class()->set_plan_id(7000 + serial_);
  v1::Activity ignored;
  EXPECT_EQ(Create(draft, &ignored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  draft.mutable_training_class()->set_plan_id(7100 + serial_);
  ASSERT_TRUE(Create(draft, &ignored).ok());
  EXPECT_EQ(ignored.training_class().plan_id(), 7100 + serial_);
}

TEST_F(ActivityApiTest, MembersWhoMissedItEarnTheHoursByStudyingTheMakeUpCourse) {
  const int64_t course = 8000 + ++serial_;
  testing::SeedPublishedCourse(Db(), course, "党课补学", 100);
  const int64_t branch = NewOrganization();
  const int64_t excused = NewMember(branch);
  const int64_t absent = NewMember(branch);
  const int64_t present = NewMember(branch);
  const int64_t waived = NewMember(branch);
  const int64_t too_early = NewMember(branch);
  const int64_t not_yet = NewMember(branch);
  v1::Activity draft = Draft(branch, absl::Minutes(-10), v1::ACTIVITY_KIND_PARTY_LECTURE);
  draft.set_makeup_course_id(course);
  const v1::Activity activity = Created(draft);
  EXPECT_EQ(activity.makeup_course_id(), course);
  ASSERT_TRUE(Record(activity.id(), {excused}, v1::ATTENDANCE_STATUS_EXCUSED, "出差").ok());
  ASSERT_TRUE(SignIn(activity.id(), present, branch, CodeAt(Secret(activity.id()), Now())).ok());
  ASSERT_TRUE(Close(activity).ok());
  const auto completed = [&](int64_t member, int kind, absl::Duration ago) {
    Db().Execute(absl::StrCat(
        "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
        " completion_time, completion_kind) VALUES (",
        member, ", ", course, ", 2, 1, '", db::FormatDateTime(Now() - ago), "', ", kind, ")"));
  };
  completed(excused, 1, absl::ZeroDuration());
  completed(absent, 1, absl::ZeroDuration());
  completed(present, 1, absl::ZeroDuration());
  completed(waived, 2, absl::ZeroDuration());
  completed(too_early, 1, absl::Hours(24));
  server_->RunTaskNow("activity_makeup");
  EXPECT_EQ(Ledger(excused, activity.id()), 200);
  EXPECT_EQ(Ledger(absent, activity.id()), 200);
  EXPECT_EQ(Ledger(present, activity.id()), 200);  // the sign-in's, not a second one
  EXPECT_EQ(Ledger(waived, activity.id()), 0);
  EXPECT_EQ(Ledger(too_early, activity.id()), 0);
  EXPECT_EQ(Ledger(not_yet, activity.id()), 0);
  EXPECT_EQ(Db().QueryInt("SELECT status FROM activity_attendance WHERE activity_id = ? AND"
                          " member_id = ?",
                          {activity.id(), absent}),
            static_cast<int64_t>(v1::ATTENDANCE_STATUS_MADE_UP));
  // Later completions count at the next tick; nothing counts twice.
  completed(not_yet, 1, absl::ZeroDuration());
  server_->RunTaskNow("activity_makeup");
  server_->RunTaskNow("activity_makeup");
  EXPECT_EQ(Ledger(not_yet, activity.id()), 200);
  EXPECT_EQ(Ledger(excused, activity.id()), 200);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE source_id = ? AND source = 3",
                          {activity.id()}),
            4);
  // Past the make-up period (60 days by default), a completion earns nothing.
  server_->clock().Advance(absl::Hours(24 * 61));
  const int64_t latecomer = NewMember(branch);
  completed(latecomer, 1, absl::ZeroDuration());
  server_->RunTaskNow("activity_makeup");
  EXPECT_EQ(Ledger(latecomer, activity.id()), 0);
}

// Sign-ins an offline kiosk took, synced later: judged by when they happened under the
// offline trust model.
class OfflineSignInTest : public ActivityApiTest {
 protected:
  static int64_t NewKiosk(int64_t organization) {
    const int64_t id = 6000 + ++serial_;
    Db().Execute(absl::StrCat(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES (", id,
        ", ", organization, ", '车间活动室", id, "', SHA2(UUID(), 256), NOW())"));
    return id;
  }
  static std::string Ticket(int64_t member, int64_t kiosk, absl::Time issued) {
    auth::KioskTicket ticket;
    ticket.ticket_id = absl::StrCat("at", ++serial_);
    ticket.member_id = member;
    ticket.kiosk_id = kiosk;
    ticket.issued = issued;
    ticket.expires = issued + absl::Hours(12);
    return auth::SealKioskTicket(ticket, server_->token_keys().secret_key);
  }
  static v1::KioskSignIn Offline(const std::string& id, int64_t activity, int64_t member,
                                 absl::Time occurred, const std::string& ticket) {
    v1::KioskSignIn sign_in;
    sign_in.set_sign_in_id(id);
    sign_in.set_activity_id(activity);
    sign_in.set_member_id(member);
    grpc_util::SetTimestamp(occurred, sign_in.mutable_occur_time());
    grpc_util::SetTimestamp(Now(), sign_in.mutable_sent_time());
    if (ticket.empty()) {
      sign_in.mutable_evidence()->mutable_kiosk_claim()->set_pin_checked(true);
    } else {
      sign_in.mutable_evidence()->set_kiosk_ticket(ticket);
    }
    return sign_in;
  }
  static v1::SyncKioskAttendanceResponse Sync(int64_t kiosk, int64_t organization,
                                              const std::vector<v1::KioskSignIn>& sign_ins) {
    v1::SyncKioskAttendanceRequest request;
    for (const v1::KioskSignIn& sign_in : sign_ins) *request.add_sign_ins() = sign_in;
    auth::Caller caller;
    caller.role = Role::kKiosk;
    caller.organization_id = organization;
    caller.kiosk_id = kiosk;
    v1::SyncKioskAttendanceResponse response;
    const grpc::Status status = server_->activities().SyncKioskAttendance(
        server_->Context(server_->TokenFor(caller)).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
};

TEST_F(OfflineSignInTest, EvidenceCoveringTheMomentRecordsItAndAClaimWaitsForAnAdmin) {
  const int64_t branch = NewOrganization();
  const int64_t kiosk = NewKiosk(branch);
  const int64_t other_kiosk = NewKiosk(branch);
  const int64_t with_ticket = NewMember(branch);
  const int64_t claimed = NewMember(branch);
  const int64_t late = NewMember(branch);
  const int64_t wrong_kiosk = NewMember(branch);
  const int64_t not_served = NewMember(NewOrganization());
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(-20)));
  const absl::Time start = grpc_util::TimeFromProto(activity.start_time());
  // The kiosk went offline; its members signed in an hour before (tickets), then at it.
  const absl::Time shift = Now() - absl::Hours(1);
  const std::vector<v1::KioskSignIn> batch{
      Offline("k-1", activity.id(), with_ticket, start - absl::Minutes(5),
              Ticket(with_ticket, kiosk, shift)),
      Offline("k-2", activity.id(), claimed, start - absl::Minutes(4), ""),
      Offline("k-3", activity.id(), late, start - absl::Minutes(31), Ticket(late, kiosk, shift)),
      Offline("k-4", activity.id(), wrong_kiosk, start, Ticket(wrong_kiosk, other_kiosk, shift)),
      Offline("k-5", activity.id(), not_served, start, ""),
      Offline("k-6", 987654, with_ticket, start, Ticket(with_ticket, kiosk, shift)),
      Offline("bad id!", activity.id(), with_ticket, start, ""),
  };
  const v1::SyncKioskAttendanceResponse first = Sync(kiosk, branch, batch);
  ASSERT_EQ(first.results_size(), 7);
  EXPECT_EQ(first.results(0).outcome(), v1::KIOSK_SIGN_IN_OUTCOME_RECORDED);
  EXPECT_EQ(first.results(0).attendance().sign_in_method(), v1::ATTENDANCE_METHOD_KIOSK);
  EXPECT_EQ(first.results(0).attendance().kiosk_id(), kiosk);
  EXPECT_EQ(grpc_util::TimeFromProto(first.results(0).attendance().sign_in_time()),
            start - absl::Minutes(5));
  EXPECT_EQ(first.results(1).outcome(), v1::KIOSK_SIGN_IN_OUTCOME_PENDING);
  EXPECT_EQ(first.results(1).attendance().status(), v1::ATTENDANCE_STATUS_PENDING);
  EXPECT_EQ(first.results(2).rejection(), v1::KIOSK_SIGN_IN_REJECTION_OUTSIDE_WINDOW);
  EXPECT_EQ(first.results(3).rejection(), v1::KIOSK_SIGN_IN_REJECTION_EVIDENCE_WRONG_KIOSK);
  EXPECT_EQ(first.results(4).rejection(), v1::KIOSK_SIGN_IN_REJECTION_MEMBER_NOT_SERVED);
  EXPECT_EQ(first.results(5).rejection(), v1::KIOSK_SIGN_IN_REJECTION_UNKNOWN_ACTIVITY);
  EXPECT_EQ(first.results(6).rejection(), v1::KIOSK_SIGN_IN_REJECTION_MALFORMED);
  // The answer was lost and the kiosk sends the batch again: nothing changes.
  const v1::SyncKioskAttendanceResponse again = Sync(kiosk, branch, batch);
  EXPECT_EQ(again.results(0).outcome(), v1::KIOSK_SIGN_IN_OUTCOME_ALREADY_RECORDED);
  EXPECT_EQ(again.results(1).outcome(), v1::KIOSK_SIGN_IN_OUTCOME_ALREADY_RECORDED);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ?",
                          {activity.id()}),
            2);
  // The claim counts for nothing at closing; the admin's word makes it count.
  v1::ListAttendanceRequest list;
  list.set_activity_id(activity.id());
  v1::ListAttendanceResponse page;
  ASSERT_TRUE(
      server_->activities().ListAttendance(server_->Context(Admin()).get(), list, &page).ok());
  EXPECT_EQ(page.present_count(), 1);
  EXPECT_EQ(page.pending_count(), 1);
  ASSERT_TRUE(Close(activity).ok());
  EXPECT_EQ(Ledger(with_ticket, activity.id()), 200);
  EXPECT_EQ(Ledger(claimed, activity.id()), 0);
  ASSERT_TRUE(
      Record(activity.id(), {claimed}, v1::ATTENDANCE_STATUS_PRESENT, "核实在场（签到表）").ok());
  EXPECT_EQ(Ledger(claimed, activity.id()), 200);
}

TEST_F(OfflineSignInTest, ASignInSyncedAfterClosingCountsAsACorrection) {
  const int64_t branch = NewOrganization();
  const int64_t kiosk = NewKiosk(branch);
  const int64_t member = NewMember(branch);
  const int64_t online = NewMember(branch);
  const v1::Activity activity = Created(Draft(branch, absl::Minutes(-20)));
  const absl::Time start = grpc_util::TimeFromProto(activity.start_time());
  ASSERT_TRUE(SignIn(activity.id(), online, branch, CodeAt(Secret(activity.id()), Now())).ok());
  ASSERT_TRUE(Close(activity).ok());
  EXPECT_EQ(Ledger(member, activity.id()), 0);
  const v1::SyncKioskAttendanceResponse synced =
      Sync(kiosk, branch,
           {Offline("c-1", activity.id(), member, start,
                    Ticket(member, kiosk, Now() - absl::Hours(2)))});
  EXPECT_EQ(synced.results(0).outcome(), v1::KIOSK_SIGN_IN_OUTCOME_RECORDED);
  EXPECT_EQ(Ledger(member, activity.id()), 200);
  // Sent again: credited once.
  Sync(kiosk, branch,
       {Offline("c-1", activity.id(), member, start,
                Ticket(member, kiosk, Now() - absl::Hours(2)))});
  EXPECT_EQ(Ledger(member, activity.id()), 200);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE member_id = ?", {member}), 1);
}

// Bad input: the exact code, and nothing written to the activity tables.
struct BadCase {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
};

TEST_F(ActivityApiTest, BadInputIsRefusedWithTheExactCodeAndWritesNothing) {
  const int64_t branch = NewOrganization();
  const int64_t member = NewMember(branch);
  const v1::Activity scheduled = Created(Draft(branch, absl::Hours(2)));
  const auto create = [&](std::function<void(v1::Activity&)> change) {
    return [change, branch] {
      v1::Activity draft = Draft(branch, absl::Hours(3));
      change(draft);
      v1::Activity ignored;
      return Create(draft, &ignored);
    };
  };
  const auto seconds = [](const google::protobuf::Timestamp& t) { return t.seconds(); };
  const std::vector<BadCase> cases{
      {"no_title", create([](v1::Activity& a) { a.set_title(""); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"title_201", create([](v1::Activity& a) { a.set_title(std::string(201, 'x')); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"unknown_kind",
       create([](v1::Activity& a) { a.set_kind(static_cast<v1::ActivityKind>(42)); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"no_category",
       create([](v1::Activity& a) { a.set_content_category(v1::CONTENT_CATEGORY_UNSPECIFIED); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"no_start", create([](v1::Activity& a) { a.clear_start_time(); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"end_before_start",
       create([&](v1::Activity& a) { a.mutable_end_time()->set_seconds(seconds(a.start_time())); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"fifteen_days", create([&](v1::Activity& a) {
         a.mutable_end_time()->set_seconds(seconds(a.start_time()) + 15 * 86400);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"two_years_ahead", create([&](v1::Activity& a) {
         a.mutable_start_time()->set_seconds(seconds(a.start_time()) + 800 * 86400);
         a.mutable_end_time()->set_seconds(seconds(a.start_time()) + 3600);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"half_a_window", create([&](v1::Activity& a) {
         a.mutable_sign_in_open_time()->set_seconds(seconds(a.start_time()) - 600);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"window_two_days_early", create([&](v1::Activity& a) {
         a.mutable_sign_in_open_time()->set_seconds(seconds(a.start_time()) - 2 * 86400);
         a.mutable_sign_in_close_time()->set_seconds(seconds(a.start_time()));
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"sign_out_window_without_sign_out", create([&](v1::Activity& a) {
         a.mutable_sign_out_open_time()->set_seconds(seconds(a.end_time()));
         a.mutable_sign_out_close_time()->set_seconds(seconds(a.end_time()) + 60);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"lecturer_at_a_meeting", create([](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_BRANCH_GENERAL_MEETING);
         a.mutable_lecturer()->set_name("王教授");
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"member_lecturer_with_a_name", create([&](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_PARTY_LECTURE);
         a.mutable_lecturer()->set_member_id(member);
         a.mutable_lecturer()->set_name("王书记");
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"unknown_lecturer", create([](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_PARTY_LECTURE);
         a.mutable_lecturer()->set_member_id(987654);
       }),
       grpc::StatusCode::NOT_FOUND},
      {"repeated_category", create([](v1::Activity& a) {
         a.mutable_targets()->add_member_categories(v1::MEMBER_CATEGORY_ORDINARY);
         a.mutable_targets()->add_member_categories(v1::MEMBER_CATEGORY_ORDINARY);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"unknown_organization", create([](v1::Activity& a) { a.set_organization_id(987654); }),
       grpc::StatusCode::NOT_FOUND},
      {"bad_request_id",
       [&] {
         v1::CreateActivityRequest request;
         *request.mutable_activity() = Draft(branch, absl::Hours(3));
         request.set_request_id("no spaces!");
         v1::Activity ignored;
         return server_->activities().CreateActivity(server_->Context(Admin()).get(), request,
                                                     &ignored);
       },
       grpc::StatusCode::INVALID_ARGUMENT},
      {"close_before_start", [&] { return Close(scheduled); },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"close_stale",
       [&] {
         v1::Activity stale = scheduled;
         stale.set_version(7);
         return Close(stale);
       },
       grpc::StatusCode::ABORTED},
      {"close_unknown",
       [&] {
         v1::Activity unknown = scheduled;
         unknown.set_id(987654);
         return Close(unknown);
       },
       grpc::StatusCode::NOT_FOUND},
      {"record_unknown_status",
       [&] { return Record(scheduled.id(), {member}, v1::ATTENDANCE_STATUS_UNSPECIFIED, "补录"); },
       grpc::StatusCode::INVALID_ARGUMENT},
      {"record_no_members",
       [&] { return Record(scheduled.id(), {}, v1::ATTENDANCE_STATUS_EXCUSED, "请假"); },
       grpc::StatusCode::INVALID_ARGUMENT},
      {"record_present_before_start",
       [&] { return Record(scheduled.id(), {member}, v1::ATTENDANCE_STATUS_PRESENT, "补录"); },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"sign_in_too_early",
       [&] {
         return SignIn(scheduled.id(), member, branch, CodeAt(Secret(scheduled.id()), Now()));
       },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"sign_out_without_sign_out",
       [&] {
         return SignIn(scheduled.id(), member, branch, CodeAt(Secret(scheduled.id()), Now()),
                       nullptr, 0, true);
       },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"sign_in_unknown_activity", [&] { return SignIn(987654, member, branch, "123456"); },
       grpc::StatusCode::NOT_FOUND},
      {"list_without_dates",
       [&] {
         v1::ListActivitiesRequest request;
         request.set_organization_id(branch);
         v1::ListActivitiesResponse ignored;
         return server_->activities().ListActivities(server_->Context(Admin()).get(), request,
                                                     &ignored);
       },
       grpc::StatusCode::INVALID_ARGUMENT},
      {"class_without_capacity",
       create([](v1::Activity& a) { a.set_kind(v1::ACTIVITY_KIND_TRAINING_CLASS); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"class_capacity_5001", create([](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_TRAINING_CLASS);
         a.mutable_training_class()->set_capacity(5001);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"class_sign_up_after_start", create([&](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_TRAINING_CLASS);
         a.mutable_training_class()->set_capacity(10);
         a.mutable_training_class()->mutable_sign_up_open_time()->set_seconds(
             seconds(a.start_time()) - 60);
         a.mutable_training_class()->mutable_sign_up_close_time()->set_seconds(
             seconds(a.start_time()) + 60);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"seats_at_a_meeting",
       create([](v1::Activity& a) { a.mutable_training_class()->set_capacity(10); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"class_unknown_plan", create([](v1::Activity& a) {
         a.set_kind(v1::ACTIVITY_KIND_TRAINING_CLASS);
         a.mutable_training_class()->set_capacity(10);
         a.mutable_training_class()->set_plan_id(987654);
       }),
       grpc::StatusCode::NOT_FOUND},
      {"sign_up_for_a_meeting", [&] { return SignUp(scheduled.id(), member, branch); },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"withdraw_without_sign_up",
       [&] {
         v1::WithdrawFromClassRequest request;
         request.set_activity_id(scheduled.id());
         request.set_member_id(member);
         v1::WithdrawFromClassResponse ignored;
         return server_->activities().WithdrawFromClass(server_->Context(Admin()).get(), request,
                                                        &ignored);
       },
       grpc::StatusCode::INVALID_ARGUMENT},
      {"makeup_course_unknown", create([](v1::Activity& a) { a.set_makeup_course_id(987654); }),
       grpc::StatusCode::NOT_FOUND},
      {"makeup_course_negative", create([](v1::Activity& a) { a.set_makeup_course_id(-1); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"life_over_two_years",
       [&] {
         v1::ListOrganizationalLifeRequest request;
         request.set_organization_id(branch);
         grpc_util::SetDate(absl::CivilDay(2024, 1, 1), request.mutable_from_date());
         grpc_util::SetDate(absl::CivilDay(2025, 12, 31), request.mutable_to_date());
         v1::ListOrganizationalLifeResponse ignored;
         return server_->activities().ListOrganizationalLife(server_->Context(Admin()).get(),
                                                             request, &ignored);
       },
       grpc::StatusCode::INVALID_ARGUMENT},
  };
  const auto counts = [] {
    return std::vector<int64_t>{Db().CountRows("activity"),
                                Db().CountRows("activity_version"),
                                Db().CountRows("activity_attendance"),
                                Db().CountRows("hours_credit"),
                                Db().CountRows("class_seat"),
                                Db().QueryInt("SELECT COALESCE(SUM(version + state), 0)"
                                              " FROM activity")};
  };
  for (const BadCase& bad : cases) {
    SCOPED_TRACE(bad.name);
    const std::vector<int64_t> before = counts();
    const grpc::Status status = bad.call();
    EXPECT_EQ(status.error_code(), bad.code) << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
    EXPECT_EQ(counts(), before);
  }
}

}  // namespace
}  // namespace lms
