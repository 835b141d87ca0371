// The kiosk client end to end (tools/kiosk): registered, a member identified online (the
// ticket and the lessons land in its SQLite file), study recorded offline across restarts
// of the client (every command is a new process), nothing sent while --offline, then one
// sync that the server records exactly once under the ticket, and a second that sends
// nothing. An exam leased online, taken offline across restarts and uploaded; one whose
// stored answer was edited afterwards is refused.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/sign_in_code.h"
#include "lms/v1/activity.grpc.pb.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tests/testing/identity_helpers.h"
#include "tests/testing/test_server.h"

namespace lms::kiosk {
namespace {

constexpr char kPassword[] = "倒班也要学习 night shift";

class KioskClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("kiosk_client");
    root_ = server_->CreateRootOrganization();
  }
  static void TearDownTestSuite() { delete server_; }

  // Runs the client with `arguments`; returns its exit code and what it printed.
  static int Run(const std::string& store, const std::string& arguments, std::string* output) {
    const std::string out = absl::StrCat(store, ".out");
    const std::string command =
        absl::StrCat(LMS_KIOSK_BINARY, " --server 127.0.0.1:", server_->port(), " --store ", store,
                     " ", arguments, " > ", out, " 2>&1");
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    *output = text.str();
    return WEXITSTATUS(status);
  }

  static testing::TestServer* server_;
  static v1::Organization root_;
};

testing::TestServer* KioskClientTest::server_ = nullptr;
v1::Organization KioskClientTest::root_;

TEST_F(KioskClientTest, StudiesOfflineAcrossRestartsAndSyncsOnce) {
  testing::IdentityHelpers helpers(*server_, root_);
  const v1::Organization branch = helpers.CreateBranch("KC-B");
  const v1::Member member = helpers.ActivatedMember("KC-001", kPassword, "", branch.id());
  v1::Session phone;
  ASSERT_TRUE(helpers.SignIn("KC-001", kPassword, &phone).ok());
  ASSERT_TRUE(helpers.SetPin(phone.access_token(), "3691").ok());
  v1::KioskRegistration registration;
  helpers.KioskSession(branch.id(), &registration);
  auto& db = server_->database();
  testing::SeedPublishedCourse(db, 3001, "党章学习", 100);
  db.Execute(
      "INSERT INTO lesson (id, course_id, position, removed, title, kind, duration_seconds,"
      " page_count, body, body_length) VALUES (30011, 3001, 1, 0, '党章视频', 2, 300, 0, '', 0)");
  testing::SeedEnrollment(db, 30001, member.id(), 3001, branch.id());
  // Seeded behind the catalogue's back: a change past its watermark makes it reload.
  db.Execute("UPDATE catalogue_state SET generation = generation + 1");
  db.Execute(
      "UPDATE course SET change_seq = (SELECT generation FROM catalogue_state) WHERE id = 3001");
  server_->RunTaskNow("catalogue_refresh");

  const std::string store = absl::StrCat(::testing::TempDir(), "/kiosk_client_test.db");
  std::remove(store.c_str());
  std::string output;
  ASSERT_EQ(
      Run(store, absl::StrCat("register --credential ", registration.device_credential()), &output),
      0)
      << output;
  ASSERT_EQ(Run(store, "identify --number KC-001 --pin 3691", &output), 0) << output;
  EXPECT_NE(output.find("lesson 30011"), std::string::npos) << output;
  // Two sittings, each a process of its own; the network is cut.
  ASSERT_EQ(Run(store, "--offline study --number KC-001 --lesson 30011 --minutes 2", &output), 0)
      << output;
  EXPECT_NE(output.find("buffered 4 events"), std::string::npos) << output;
  ASSERT_EQ(Run(store, "--offline study --number KC-001 --lesson 30011 --minutes 1", &output), 0)
      << output;
  EXPECT_EQ(Run(store, "--offline sync", &output), 2) << output;
  ASSERT_EQ(Run(store, "status", &output), 0) << output;
  EXPECT_NE(output.find("6 events and 0 sign-ins waiting"), std::string::npos) << output;
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ?", {member.id()}),
            0);

  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_NE(output.find("synced 6 events"), std::string::npos) << output;
  // The sittings' events are new positions of the lesson: all count, under the ticket.
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM progress_event p JOIN offline_evidence e"
                        " ON e.id = p.evidence_id WHERE p.member_id = ? AND e.kind = 1",
                        {member.id()}),
            6);
  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_NE(output.find("synced 0 events"), std::string::npos) << output;
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ?", {member.id()}),
            6);
}

TEST_F(KioskClientTest, APhoneVouchesForItsMemberAtAKioskAndSyncsItsOwnStudy) {
  testing::IdentityHelpers helpers(*server_, root_);
  const v1::Organization branch = helpers.CreateBranch("KC-P");
  const v1::Member member = helpers.ActivatedMember("KC-002", kPassword, "", branch.id());
  v1::KioskRegistration registration;
  helpers.KioskSession(branch.id(), &registration);
  auto& db = server_->database();
  testing::SeedPublishedCourse(db, 3002, "党规学习", 100);
  db.Execute(
      "INSERT INTO lesson (id, course_id, position, removed, title, kind, duration_seconds,"
      " page_count, body, body_length) VALUES (30021, 3002, 1, 0, '党规音频', 3, 300, 0, '', 0)");
  db.Execute(
      "INSERT INTO lesson (id, course_id, position, removed, title, kind, duration_seconds,"
      " page_count, body, body_length) VALUES (30022, 3002, 2, 0, '党规文件', 4, 0, 5, '', 0)");

  const std::string kiosk = absl::StrCat(::testing::TempDir(), "/kiosk_phone_kiosk.db");
  const std::string phone = absl::StrCat(::testing::TempDir(), "/kiosk_phone_phone.db");
  const std::string password = absl::StrCat(::testing::TempDir(), "/kiosk_phone_password");
  std::remove(kiosk.c_str());
  std::remove(phone.c_str());
  std::ofstream(password) << kPassword << "\n";
  db.Execute("UPDATE catalogue_state SET generation = generation + 1");
  db.Execute(
      "UPDATE course SET change_seq = (SELECT generation FROM catalogue_state) WHERE id = 3002");
  server_->RunTaskNow("catalogue_refresh");
  std::string output;
  ASSERT_EQ(
      Run(kiosk, absl::StrCat("register --credential ", registration.device_credential()), &output),
      0);
  // Online, as the kiosk: the lessons, and its own id (which phones sign codes for).
  ASSERT_EQ(Run(kiosk, "fetch --course 3002", &output), 0) << output;
  EXPECT_NE(output.find("lesson 30021"), std::string::npos) << output;
  ASSERT_EQ(
      Run(phone, absl::StrCat("phone-key --login KC-002 --password-file ", password), &output), 0)
      << output;
  // The network is gone from here on; the phone signs a code for this kiosk.
  ASSERT_EQ(
      Run(phone, absl::StrCat("--offline phone-code --kiosk ", registration.kiosk_id()), &output),
      0)
      << output;
  const std::string code = output.substr(0, output.find('\n'));
  ASSERT_EQ(code.rfind("pi1.", 0), 0u) << output;
  // A code for another kiosk is refused at the kiosk already.
  ASSERT_EQ(Run(phone, "--offline phone-code --kiosk 999999", &output), 0);
  EXPECT_EQ(
      Run(kiosk,
          absl::StrCat("--offline identify-phone --code ", output.substr(0, output.find('\n'))),
          &output),
      1);
  ASSERT_EQ(
      Run(kiosk, absl::StrCat("--offline identify-phone --number KC-002 --code ", code), &output),
      0)
      << output;
  // The member studies; the kiosk vouches with the phone's code.
  ASSERT_EQ(Run(kiosk, "--offline study --number KC-002 --lesson 30021 --minutes 2", &output), 0)
      << output;
  ASSERT_EQ(Run(kiosk, "sync", &output), 0) << output;
  EXPECT_NE(output.find("4 accepted"), std::string::npos) << output;
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM progress_event p JOIN offline_evidence e"
                        " ON e.id = p.evidence_id WHERE p.member_id = ? AND e.kind = 2",
                        {member.id()}),
            4);

  // The phone's own study goes up in the member's session: no evidence needed.
  ASSERT_EQ(Run(phone, "fetch --course 3002", &output), 0) << output;
  ASSERT_EQ(Run(phone, "--offline study --number KC-002 --lesson 30022 --minutes 1", &output), 0)
      << output;
  ASSERT_EQ(Run(phone, "sync", &output), 0) << output;
  EXPECT_NE(output.find("synced 2 events"), std::string::npos) << output;
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM progress_event WHERE member_id = ? AND lesson_id ="
                        " 30022 AND evidence_id IS NULL",
                        {member.id()}),
            2);
  ASSERT_EQ(Run(phone, "sync", &output), 0) << output;
  EXPECT_NE(output.find("synced 0 events"), std::string::npos) << output;
  (void)member;
}

// An activity on the kiosk: its rotating code shown online and offline (the secret kept in
// the store), a member signing in with the PIN at once, and another, offline, buffered and
// synced once under their ticket.
TEST_F(KioskClientTest, ShowsTheActivityCodeAndTakesPinSignInsOnlineAndOffline) {
  // The server's clock is the test's: bring it to now, as the client's is.
  server_->clock().Advance(absl::Now() - server_->clock().Now());
  testing::IdentityHelpers helpers(*server_, root_);
  const v1::Organization branch = helpers.CreateBranch("KC-A");
  std::vector<v1::Member> members;
  for (const char* number : {"KA-001", "KA-002"}) {
    members.push_back(helpers.ActivatedMember(number, kPassword, "", branch.id()));
    v1::Session phone;
    ASSERT_TRUE(helpers.SignIn(number, kPassword, &phone).ok());
    ASSERT_TRUE(helpers.SetPin(phone.access_token(), "3691").ok());
  }
  v1::KioskRegistration registration;
  helpers.KioskSession(branch.id(), &registration);
  v1::CreateActivityRequest create;
  v1::Activity& draft = *create.mutable_activity();
  draft.set_organization_id(branch.id());
  draft.set_kind(v1::ACTIVITY_KIND_THEME_PARTY_DAY);
  draft.set_title("主题党日");
  draft.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
  draft.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  draft.mutable_end_time()->set_seconds(draft.start_time().seconds() + 7200);
  v1::Activity activity;
  ASSERT_TRUE(server_->activities()
                  .CreateActivity(server_->Context(helpers.Admin()).get(), create, &activity)
                  .ok());
  v1::GetSignInSecretRequest secret_request;
  secret_request.set_activity_id(activity.id());
  v1::SignInSecret secret;
  ASSERT_TRUE(server_->activities()
                  .GetSignInSecret(server_->Context(helpers.Admin()).get(), secret_request, &secret)
                  .ok());
  const std::vector<uint8_t> key(secret.secret().begin(), secret.secret().end());

  const std::string store = absl::StrCat(::testing::TempDir(), "/kiosk_activity_test.db");
  std::remove(store.c_str());
  std::string output;
  ASSERT_EQ(
      Run(store, absl::StrCat("register --credential ", registration.device_credential()), &output),
      0)
      << output;
  const std::string id = absl::StrCat(activity.id());
  // The screen's code, online, then with the network cut: the code the server checks.
  for (const std::string& mode : {std::string(""), std::string("--offline ")}) {
    ASSERT_EQ(Run(store, absl::StrCat(mode, "activity-code --activity ", id), &output), 0)
        << output;
    const size_t at = output.find("sign-in code ");
    ASSERT_NE(at, std::string::npos) << output;
    EXPECT_TRUE(auth::SignInCodeMatches(key, output.substr(at + 13, 6), absl::Now())) << output;
  }
  // Online: the PIN, then the sign-in in the member's kiosk session.
  ASSERT_EQ(
      Run(store, absl::StrCat("activity-sign-in --activity ", id, " --number KA-001 --pin 3691"),
          &output),
      0)
      << output;
  EXPECT_NE(output.find("signed in"), std::string::npos) << output;
  EXPECT_EQ(
      Run(store, absl::StrCat("activity-sign-in --activity ", id, " --number KA-002 --pin 0000"),
          &output),
      1)
      << output;
  // Offline: the second member, identified here earlier (their ticket covers now).
  ASSERT_EQ(Run(store, "identify --number KA-002 --pin 3691", &output), 0) << output;
  ASSERT_EQ(
      Run(store, absl::StrCat("--offline activity-sign-in --activity ", id, " --number KA-002"),
          &output),
      0)
      << output;
  EXPECT_NE(output.find("vouched for by the member's ticket"), std::string::npos) << output;
  ASSERT_EQ(Run(store, "status", &output), 0) << output;
  EXPECT_NE(output.find("1 sign-ins waiting"), std::string::npos) << output;
  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_NE(output.find(": RECORDED"), std::string::npos) << output;
  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_EQ(output.find("sign-in "), std::string::npos) << output;
  auto& db = server_->database();
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ? AND"
                        " status = 1 AND sign_in_method = 2",
                        {activity.id()}),
            2);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ? AND"
                        " evidence_id IS NOT NULL",
                        {activity.id()}),
            1);
}

// A final test of `course` over two true/false questions (true is right), 1 point each,
// pass at 2, ten minutes.
int64_t PublishExamPaper(testing::TestServer& server, testing::IdentityHelpers& helpers,
                         int64_t organization, int64_t course) {
  testing::SeedPublishedCourse(server.database(), course, "党章党规");
  v1::Paper paper;
  paper.set_organization_id(organization);
  paper.set_kind(v1::PAPER_KIND_FINAL_TEST);
  paper.set_course_id(course);
  paper.set_title("党章党规结业测试");
  for (int i = 0; i < 2; ++i) {
    v1::CreateQuestionRequest create;
    v1::Question& question = *create.mutable_question();
    question.set_organization_id(organization);
    question.set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    question.set_stem(absl::StrCat("党章是党的根本大法（", course, "-", i, "）。"));
    question.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    question.set_difficulty(1);
    question.mutable_key()->set_correct_truth(v1::TRUTH_TRUE);
    v1::Question created;
    EXPECT_TRUE(server.assessment()
                    .CreateQuestion(server.Context(helpers.Admin()).get(), create, &created)
                    .ok());
    paper.add_fixed_question_ids(created.id());
  }
  v1::TypePoints* points = paper.add_type_points();
  points->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  points->set_points(1);
  paper.set_pass_points(2);
  paper.set_time_limit_seconds(600);
  v1::CreatePaperRequest create;
  *create.mutable_paper() = paper;
  v1::Paper draft;
  EXPECT_TRUE(
      server.assessment().CreatePaper(server.Context(helpers.Admin()).get(), create, &draft).ok());
  v1::PublishPaperRequest publish;
  publish.set_paper_id(draft.id());
  publish.set_expected_version(draft.version());
  v1::Paper published;
  EXPECT_TRUE(server.assessment()
                  .PublishPaper(server.Context(helpers.Admin()).get(), publish, &published)
                  .ok());
  return published.id();
}

// Edits the kiosk's store behind the client's back: the second link's answer turned to
// `truth`, its signature left as it was.
void EditStoredAnswer(const std::string& store, v1::Truth truth) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* select = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT seal FROM exam_link WHERE sequence = 2", -1, &select, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(select), SQLITE_ROW);
  v1::ExamSeal seal;
  ASSERT_TRUE(seal.ParseFromString(
      absl::HexStringToBytes(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)))));
  sqlite3_finalize(select);
  seal.mutable_answer()->set_truth(truth);
  const std::string edited = absl::BytesToHexString(seal.SerializeAsString());
  sqlite3_stmt* update = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE exam_link SET seal = ? WHERE sequence = 2", -1, &update,
                               nullptr),
            SQLITE_OK);
  sqlite3_bind_text(update, 1, edited.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(update), SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(db);
}

TEST_F(KioskClientTest, TakesALeasedExamOfflineAcrossRestartsAndUploadsItOnce) {
  server_->clock().Advance(absl::Now() - server_->clock().Now());
  testing::IdentityHelpers helpers(*server_, root_);
  const v1::Organization branch = helpers.CreateBranch("KC-E");
  const v1::Member member = helpers.ActivatedMember("KE-001", kPassword, "", branch.id());
  v1::Session phone;
  ASSERT_TRUE(helpers.SignIn("KE-001", kPassword, &phone).ok());
  ASSERT_TRUE(helpers.SetPin(phone.access_token(), "3691").ok());
  v1::KioskRegistration registration;
  helpers.KioskSession(branch.id(), &registration);
  const std::string paper = absl::StrCat(PublishExamPaper(*server_, helpers, branch.id(), 3101));
  const std::string store = absl::StrCat(::testing::TempDir(), "/kiosk_exam_test.db");
  std::remove(store.c_str());
  std::string output;
  ASSERT_EQ(
      Run(store, absl::StrCat("register --credential ", registration.device_credential()), &output),
      0)
      << output;
  const std::string who = absl::StrCat(" --number KE-001 --paper ", paper);
  EXPECT_EQ(Run(store, absl::StrCat("--offline exam-lease --pin 3691", who), &output), 2);
  ASSERT_EQ(Run(store, absl::StrCat("exam-lease --pin 3691", who), &output), 0) << output;
  EXPECT_NE(output.find("exam leased"), std::string::npos) << output;
  EXPECT_NE(output.find("2 questions, 10 min"), std::string::npos) << output;

  // The network is gone; each command is a new process (a restart of the kiosk's client).
  ASSERT_EQ(Run(store, absl::StrCat("--offline exam-start", who), &output), 0) << output;
  EXPECT_NE(output.find("1. [1] 党章是党的根本大法"), std::string::npos) << output;
  ASSERT_EQ(
      Run(store, absl::StrCat("--offline exam-answer --question 1 --truth false", who), &output), 0)
      << output;
  ASSERT_EQ(
      Run(store, absl::StrCat("--offline exam-answer --question 1 --truth true", who), &output), 0)
      << output;
  ASSERT_EQ(
      Run(store, absl::StrCat("--offline exam-answer --question 2 --truth true", who), &output), 0)
      << output;
  EXPECT_NE(output.find("sealed, link 4"), std::string::npos) << output;
  ASSERT_EQ(Run(store, absl::StrCat("--offline exam-submit", who), &output), 0) << output;
  EXPECT_EQ(
      Run(store, absl::StrCat("--offline exam-answer --question 2 --truth false", who), &output), 1)
      << output;
  EXPECT_EQ(Run(store, "--offline sync", &output), 2);
  ASSERT_EQ(Run(store, "status", &output), 0) << output;
  EXPECT_NE(output.find("finished, waiting to upload, 5 sealed links"), std::string::npos)
      << output;
  auto& db = server_->database();
  EXPECT_EQ(
      db.QueryInt("SELECT COUNT(*) FROM attempt WHERE member_id = ? AND state = 2", {member.id()}),
      0);

  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_NE(output.find(": 2/2 points, passed"), std::string::npos) << output;
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM attempt a JOIN exam_lease l ON l.attempt_id = a.id"
                        " WHERE a.member_id = ? AND a.state = 2 AND a.points = 2 AND l.status = 2",
                        {member.id()}),
            1);
  ASSERT_EQ(Run(store, "sync", &output), 0) << output;
  EXPECT_EQ(output.find("points"), std::string::npos) << output;

  // A second paper: the stored wrong answer edited into a right one after the exam.
  const std::string second = absl::StrCat(PublishExamPaper(*server_, helpers, branch.id(), 3102));
  const std::string again = absl::StrCat(" --number KE-001 --paper ", second);
  const std::string tampered = absl::StrCat(::testing::TempDir(), "/kiosk_exam_tampered.db");
  std::remove(tampered.c_str());
  ASSERT_EQ(Run(tampered, absl::StrCat("register --credential ", registration.device_credential()),
                &output),
            0);
  ASSERT_EQ(Run(tampered, absl::StrCat("exam-lease --pin 3691", again), &output), 0) << output;
  ASSERT_EQ(Run(tampered, absl::StrCat("--offline exam-start", again), &output), 0) << output;
  ASSERT_EQ(Run(tampered, absl::StrCat("--offline exam-answer --question 1 --truth false", again),
                &output),
            0);
  ASSERT_EQ(Run(tampered, absl::StrCat("--offline exam-submit", again), &output), 0);
  EditStoredAnswer(tampered, v1::TRUTH_TRUE);
  ASSERT_EQ(Run(tampered, "sync", &output), 0) << output;
  EXPECT_NE(output.find("CHAIN_SIGNATURE_INVALID"), std::string::npos) << output;
  EXPECT_EQ(
      db.QueryInt("SELECT COUNT(*) FROM exam_upload_refusal WHERE member_id = ?", {member.id()}),
      1);
}

}  // namespace
}  // namespace lms::kiosk
