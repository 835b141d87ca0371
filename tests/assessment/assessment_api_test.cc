// Assessment through a real gRPC channel against a real database: a final test from bank
// to credit (keys never in a member's answers before review, sequenced saves, stale saves
// refused, two submits grade once, the attempt limit), and publishing refused with the
// rule named when the bank is too small.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tests/testing/test_database.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr char kKeyCanary[] = "KEYCANARY一九二一";
constexpr char kExplanationCanary[] = "EXPLAINCANARY党章";

class AssessmentApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("assessment_api");
    testing::SeedRootAndTwoBranches(server_->database());
  }
  static void TearDownTestSuite() { delete server_; }

  static testing::TestDatabase& Db() { return server_->database(); }
  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static int64_t NewMember() {
    const int64_t id = 1000 + ++serial_;
    Db().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '党员", id, "', 'M", id, "', 2, 2, 1, 1, NOW(), NOW())"));
    return id;
  }
  static std::string MemberToken(int64_t member) {
    auth::Caller caller;
    caller.role = Role::kMember;
    caller.member_id = member;
    caller.organization_id = 2;
    return server_->TokenFor(caller);
  }
  static v1::Question Create(v1::Question question) {
    v1::CreateQuestionRequest request;
    question.set_organization_id(kRoot);
    question.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    question.set_difficulty(2);
    question.mutable_key()->set_explanation(kExplanationCanary);
    *request.mutable_question() = question;
    v1::Question created;
    const grpc::Status status =
        server_->assessment().CreateQuestion(server_->Context(Admin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  static v1::Question FillIn() {
    v1::Question question;
    question.set_type(v1::QUESTION_TYPE_FILL_IN_BLANK);
    question.set_stem("中国共产党成立于（　）年。");
    question.mutable_key()->add_blanks()->add_accepted(absl::StrCat("1921", kKeyCanary));
    return Create(question);
  }
  static v1::Question TrueFalse() {
    v1::Question question;
    question.set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    question.set_stem("党章是党的根本大法。");
    question.mutable_key()->set_correct_truth(v1::TRUTH_TRUE);
    return Create(question);
  }
  static v1::Paper Publish(v1::Paper paper) {
    v1::CreatePaperRequest create;
    paper.set_organization_id(kRoot);
    *create.mutable_paper() = paper;
    v1::Paper draft;
    grpc::Status status =
        server_->assessment().CreatePaper(server_->Context(Admin()).get(), create, &draft);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::PublishPaperRequest publish;
    publish.set_paper_id(draft.id());
    publish.set_expected_version(draft.version());
    v1::Paper published;
    status =
        server_->assessment().PublishPaper(server_->Context(Admin()).get(), publish, &published);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return published;
  }

  static testing::TestServer* server_;
  static int serial_;
};
testing::TestServer* AssessmentApiTest::server_ = nullptr;
int AssessmentApiTest::serial_ = 0;

TEST_F(AssessmentApiTest, FinalTestFromStartToCreditWithoutLeakingTheKey) {
  const int64_t course = 7000 + ++serial_;
  testing::SeedPublishedCourse(Db(), course, "学习党章");
  const v1::Question fill = FillIn();
  const v1::Question truth = TrueFalse();
  v1::Paper paper;
  paper.set_kind(v1::PAPER_KIND_FINAL_TEST);
  paper.set_course_id(course);
  paper.set_title("党章结业测试");
  paper.add_fixed_question_ids(fill.id());
  paper.add_fixed_question_ids(truth.id());
  for (const auto type : {v1::QUESTION_TYPE_FILL_IN_BLANK, v1::QUESTION_TYPE_TRUE_FALSE}) {
    v1::TypePoints* points = paper.add_type_points();
    points->set_type(type);
    points->set_points(5);
  }
  paper.set_pass_points(10);
  paper.set_time_limit_seconds(600);
  paper.set_max_attempts(1);
  const v1::Paper published = Publish(paper);
  ASSERT_EQ(published.state(), v1::PAPER_STATE_PUBLISHED);
  EXPECT_EQ(published.total_points(), 10);
  EXPECT_EQ(published.grace_seconds(), 60);
  EXPECT_EQ(published.hours().hundredths(), 50);

  const int64_t member = NewMember();
  const std::string token = MemberToken(member);
  v1::StartAttemptRequest start;
  start.set_paper_id(published.id());
  v1::Attempt attempt;
  grpc::Status status =
      server_->assessment().StartAttempt(server_->Context(token).get(), start, &attempt);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(attempt.questions_size(), 2);
  EXPECT_EQ(attempt.state(), v1::ATTEMPT_STATE_OPEN);
  EXPECT_TRUE(attempt.has_deadline());
  EXPECT_TRUE(attempt.has_server_time());
  const std::string bytes = attempt.SerializeAsString();
  EXPECT_EQ(bytes.find(kKeyCanary), std::string::npos);
  EXPECT_EQ(bytes.find(kExplanationCanary), std::string::npos);

  // Resuming returns the same attempt.
  v1::Attempt resumed;
  ASSERT_TRUE(
      server_->assessment().StartAttempt(server_->Context(token).get(), start, &resumed).ok());
  EXPECT_EQ(resumed.id(), attempt.id());

  v1::SaveAnswersRequest save;
  save.set_attempt_id(attempt.id());
  save.set_sequence(2);
  v1::Answer* answer = save.add_answers();
  answer->set_question_id(fill.id());
  answer->add_blanks(absl::StrCat("１９２１", kKeyCanary, "。"));
  v1::SaveAnswersResponse saved;
  status = server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(saved.save_sequence(), 2);
  EXPECT_EQ(saved.feedback_size(), 0);
  // The same save again (a retry) answers OK; an older one is stale.
  ASSERT_TRUE(server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).ok());
  v1::SaveAnswersRequest stale = save;
  stale.set_sequence(1);
  stale.mutable_answers(0)->set_blanks(0, "1922");
  EXPECT_EQ(
      server_->assessment().SaveAnswers(server_->Context(token).get(), stale, &saved).error_code(),
      grpc::StatusCode::ABORTED);

  v1::SubmitAttemptRequest submit;
  submit.set_attempt_id(attempt.id());
  submit.set_sequence(3);
  v1::Answer* last = submit.add_answers();
  last->set_question_id(truth.id());
  last->set_truth(v1::TRUTH_TRUE);
  v1::AttemptResult first;
  status = server_->assessment().SubmitAttempt(server_->Context(token).get(), submit, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.points(), 10);
  EXPECT_TRUE(first.passed());
  EXPECT_EQ(first.hours_credited().hundredths(), 50);
  EXPECT_TRUE(first.review_shown());
  v1::AttemptResult second;
  ASSERT_TRUE(
      server_->assessment().SubmitAttempt(server_->Context(token).get(), submit, &second).ok());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE member_id = ? AND source = 2",
                          {member}),
            1);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM course_test_pass WHERE member_id = ?", {member}),
            1);

  // One attempt allowed, and it is used.
  v1::Attempt another;
  EXPECT_EQ(server_->assessment()
                .StartAttempt(server_->Context(token).get(), start, &another)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AssessmentApiTest, PublishingNamesTheRuleTheBankCannotFill) {
  TrueFalse();
  v1::Paper paper;
  paper.set_organization_id(kRoot);
  paper.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
  paper.set_title("判断题练习");
  v1::DrawRule* rule = paper.add_draw_rules();
  rule->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  rule->set_content_category(v1::CONTENT_CATEGORY_REVOLUTIONARY_TRADITION);
  rule->set_count(3);
  v1::TypePoints* points = paper.add_type_points();
  points->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  points->set_points(2);
  paper.set_pass_points(4);
  v1::CreatePaperRequest create;
  *create.mutable_paper() = paper;
  v1::Paper draft;
  ASSERT_TRUE(
      server_->assessment().CreatePaper(server_->Context(Admin()).get(), create, &draft).ok());
  v1::PublishPaperRequest publish;
  publish.set_paper_id(draft.id());
  publish.set_expected_version(draft.version());
  v1::Paper published;
  const grpc::Status status =
      server_->assessment().PublishPaper(server_->Context(Admin()).get(), publish, &published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("draw_rules[0]"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(Db().QueryInt("SELECT state FROM paper WHERE id = ?", {draft.id()}), 1);
}

}  // namespace
}  // namespace lms
