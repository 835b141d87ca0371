// Assessment through a real gRPC channel against a real database: a final test from bank
// to credit (keys never in a member's answers before review, sequenced saves, stale saves
// refused, two submits grade once, the attempt limit), and publishing refused with the
// rule named when the bank is too small.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>
#include <vector>

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
    if (question.content_category() == v1::CONTENT_CATEGORY_UNSPECIFIED) {
      question.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    }
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
  static v1::Question TrueFalse(
      v1::ContentCategory category = v1::CONTENT_CATEGORY_PARTY_CONSTITUTION) {
    v1::Question question;
    question.set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    question.set_stem(absl::StrCat("党章是党的根本大法。（", ++serial_, "）"));
    question.mutable_key()->set_correct_truth(v1::TRUTH_TRUE);
    question.set_content_category(category);
    return Create(question);
  }
  static v1::Question SingleChoice(v1::ContentCategory category) {
    v1::Question question;
    question.set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
    question.set_stem(absl::StrCat("党的最高理想和最终目标是？（", ++serial_, "）"));
    for (const char* text : {"实现共产主义", "全面建成小康社会", "实现现代化"}) {
      question.add_options()->set_text(text);
    }
    question.mutable_key()->add_correct_option_ids(1);
    question.set_content_category(category);
    return Create(question);
  }
  // A practice quiz of the root's organisation on fixed questions, 2 points each.
  static v1::Paper Quiz(const std::vector<int64_t>& question_ids, v1::PaperKind kind,
                        int32_t time_limit = 0, int32_t max_attempts = 0) {
    v1::Paper paper;
    paper.set_kind(kind);
    paper.set_title("练习");
    for (const int64_t id : question_ids) paper.add_fixed_question_ids(id);
    for (const auto type : {v1::QUESTION_TYPE_TRUE_FALSE, v1::QUESTION_TYPE_SINGLE_CHOICE,
                            v1::QUESTION_TYPE_FILL_IN_BLANK}) {
      v1::TypePoints* points = paper.add_type_points();
      points->set_type(type);
      points->set_points(2);
    }
    paper.set_pass_points(2);
    paper.set_time_limit_seconds(time_limit);
    paper.set_max_attempts(max_attempts);
    if (kind == v1::PAPER_KIND_FINAL_TEST) {
      const int64_t course = 7000 + ++serial_;
      testing::SeedPublishedCourse(Db(), course, "学习党章");
      paper.set_course_id(course);
    }
    return Publish(paper);
  }
  static grpc::Status Start(const std::string& token, int64_t paper_id, v1::Attempt* attempt,
                            const std::string& request_id = "") {
    v1::StartAttemptRequest start;
    start.set_paper_id(paper_id);
    start.set_request_id(request_id);
    return server_->assessment().StartAttempt(server_->Context(token).get(), start, attempt);
  }
  static grpc::Status Submit(const std::string& token, int64_t attempt_id,
                             v1::AttemptResult* result) {
    v1::SubmitAttemptRequest submit;
    submit.set_attempt_id(attempt_id);
    return server_->assessment().SubmitAttempt(server_->Context(token).get(), submit, result);
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

TEST_F(AssessmentApiTest, DrawsHonourTheRulesAndNeverRepeat) {
  std::set<int64_t> party, tradition;
  for (int i = 0; i < 6; ++i) party.insert(TrueFalse().id());
  for (int i = 0; i < 6; ++i) {
    tradition.insert(SingleChoice(v1::CONTENT_CATEGORY_REVOLUTIONARY_TRADITION).id());
  }
  // The root's bank holds other tests' questions too: the rules name a category no other
  // test gives single-choice questions, and true/false of 党章 drawn from all of them.
  v1::Paper paper;
  paper.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
  paper.set_title("随机练习");
  v1::DrawRule* tf = paper.add_draw_rules();
  tf->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  tf->set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
  tf->set_count(4);
  v1::DrawRule* single = paper.add_draw_rules();
  single->set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
  single->set_content_category(v1::CONTENT_CATEGORY_REVOLUTIONARY_TRADITION);
  single->set_count(5);
  for (const auto type : {v1::QUESTION_TYPE_TRUE_FALSE, v1::QUESTION_TYPE_SINGLE_CHOICE}) {
    v1::TypePoints* points = paper.add_type_points();
    points->set_type(type);
    points->set_points(1);
  }
  paper.set_pass_points(5);
  const v1::Paper published = Publish(paper);
  std::set<std::string> orders;
  for (int m = 0; m < 15; ++m) {
    v1::Attempt attempt;
    ASSERT_TRUE(Start(MemberToken(NewMember()), published.id(), &attempt).ok());
    ASSERT_EQ(attempt.questions_size(), 9);
    EXPECT_EQ(attempt.total_points(), 9);
    std::set<int64_t> seen;
    int tfs = 0;
    int singles = 0;
    for (const v1::AttemptQuestion& question : attempt.questions()) {
      EXPECT_TRUE(seen.insert(question.question_id()).second) << "drawn twice";
      if (question.type() == v1::QUESTION_TYPE_TRUE_FALSE) ++tfs;
      if (question.type() == v1::QUESTION_TYPE_SINGLE_CHOICE) {
        ++singles;
        EXPECT_EQ(tradition.count(question.question_id()), 1u);
        ASSERT_EQ(question.options_size(), 3);
        std::string order;
        for (const auto& option : question.options()) absl::StrAppend(&order, option.id());
        orders.insert(order);
      }
    }
    EXPECT_EQ(tfs, 4);
    EXPECT_EQ(singles, 5);
  }
  // Options are shuffled per attempt: 75 single-choice draws do not all keep one order.
  EXPECT_GT(orders.size(), 1u);
}

TEST_F(AssessmentApiTest, ConcurrentStartsHoldTheAttemptLimit) {
  const v1::Paper paper = Quiz({TrueFalse().id()}, v1::PAPER_KIND_FINAL_TEST, 0, 2);
  const std::string token = MemberToken(NewMember());
  std::set<int64_t> attempts;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    std::vector<grpc::Status> statuses(20);
    std::vector<v1::Attempt> started(20);
    for (int i = 0; i < 20; ++i) {
      threads.emplace_back([&, i] {
        statuses[i] = Start(token, paper.id(), &started[i], absl::StrCat("s", round, "-", i));
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::set<int64_t> ids;
    for (int i = 0; i < 20; ++i) {
      if (round < 2) {
        ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
        ids.insert(started[i].id());
      } else {
        EXPECT_EQ(statuses[i].error_code(), grpc::StatusCode::FAILED_PRECONDITION)
            << statuses[i].error_message();
      }
    }
    if (round == 2) break;
    // Twenty starts at once are one attempt, resumed by the other nineteen.
    ASSERT_EQ(ids.size(), 1u);
    attempts.insert(*ids.begin());
    v1::AttemptResult result;
    ASSERT_TRUE(Submit(token, *ids.begin(), &result).ok());
  }
  EXPECT_EQ(attempts.size(), 2u);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM attempt WHERE paper_id = ?", {paper.id()}), 2);
}

TEST_F(AssessmentApiTest, FiftyConcurrentSubmitsGradeOnceAndAnswerTheSame) {
  const v1::Paper paper = Quiz({TrueFalse().id()}, v1::PAPER_KIND_FINAL_TEST, 600, 1);
  const int64_t member = NewMember();
  const std::string token = MemberToken(member);
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, paper.id(), &attempt).ok());
  v1::SubmitAttemptRequest submit;
  submit.set_attempt_id(attempt.id());
  submit.set_sequence(1);
  v1::Answer* answer = submit.add_answers();
  answer->set_question_id(attempt.questions(0).question_id());
  answer->set_truth(v1::TRUTH_TRUE);
  std::vector<std::thread> threads;
  std::vector<grpc::Status> statuses(50);
  std::vector<v1::AttemptResult> results(50);
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] =
          server_->assessment().SubmitAttempt(server_->Context(token).get(), submit, &results[i]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(results[i].SerializeAsString(), results[0].SerializeAsString());
  }
  EXPECT_TRUE(results[0].passed());
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM hours_credit WHERE member_id = ?", {member}), 1);
  EXPECT_EQ(Db().QueryInt("SELECT COUNT(*) FROM question_stat_queue WHERE attempt_id = ?",
                          {attempt.id()}),
            1);
}

TEST_F(AssessmentApiTest, TheServerGradesAnAttemptLeftOpenAndRefusesLateAnswers) {
  const v1::Question first = TrueFalse();
  const v1::Question second = TrueFalse();
  const v1::Paper paper = Quiz({first.id(), second.id()}, v1::PAPER_KIND_FINAL_TEST, 60, 1);
  const std::string token = MemberToken(NewMember());
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, paper.id(), &attempt).ok());
  v1::SaveAnswersRequest save;
  save.set_attempt_id(attempt.id());
  save.set_sequence(1);
  v1::Answer* answer = save.add_answers();
  answer->set_question_id(first.id());
  answer->set_truth(v1::TRUTH_TRUE);
  v1::SaveAnswersResponse saved;
  ASSERT_TRUE(server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).ok());
  // Within the grace a save still counts.
  server_->clock().Advance(absl::Seconds(90));
  save.set_sequence(2);
  save.mutable_answers(0)->set_question_id(second.id());
  ASSERT_TRUE(server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).ok());
  // Past it, a save is refused and not stored.
  server_->clock().Advance(absl::Seconds(40));
  save.set_sequence(3);
  save.mutable_answers(0)->set_truth(v1::TRUTH_FALSE);
  EXPECT_EQ(
      server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  server_->RunTaskNow("assessment_overdue");
  v1::GetAttemptResultRequest get;
  get.set_attempt_id(attempt.id());
  v1::AttemptResult result;
  const grpc::Status status =
      server_->assessment().GetAttemptResult(server_->Context(token).get(), get, &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(result.graded_by_server());
  EXPECT_EQ(result.points(), 4);  // both answers saved in time: true and true
  EXPECT_EQ(result.submit_time().seconds(), attempt.deadline().seconds() + attempt.grace_seconds());
  // A submit now answers the server's grading.
  v1::AttemptResult again;
  ASSERT_TRUE(Submit(token, attempt.id(), &again).ok());
  EXPECT_EQ(again.SerializeAsString(), result.SerializeAsString());
}

TEST_F(AssessmentApiTest, AnOverrideGivesTimeToTheOpenAttemptAndAnotherAttempt) {
  const v1::Paper paper = Quiz({TrueFalse().id()}, v1::PAPER_KIND_FINAL_TEST, 60, 1);
  const int64_t member = NewMember();
  const std::string token = MemberToken(member);
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, paper.id(), &attempt).ok());
  v1::GrantPaperOverrideRequest grant;
  grant.set_paper_id(paper.id());
  grant.set_member_id(member);
  grant.set_extra_attempts(1);
  grant.set_extra_minutes(10);
  grant.set_reason("夜班，考试中被叫去处理设备故障");
  v1::PaperOverride granted;
  const grpc::Status status =
      server_->assessment().GrantPaperOverride(server_->Context(Admin()).get(), grant, &granted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(granted.open_attempt_deadline().seconds(), attempt.deadline().seconds() + 600);
  EXPECT_EQ(granted.extra_attempts(), 1);
  // A retry of the same request grants nothing twice and answers the same.
  grant.set_request_id("grant-once");
  ASSERT_TRUE(server_->assessment()
                  .GrantPaperOverride(server_->Context(Admin()).get(), grant, &granted)
                  .ok());
  v1::PaperOverride retried;
  ASSERT_TRUE(server_->assessment()
                  .GrantPaperOverride(server_->Context(Admin()).get(), grant, &retried)
                  .ok());
  EXPECT_EQ(retried.SerializeAsString(), granted.SerializeAsString());
  EXPECT_EQ(retried.extra_attempts(), 2);
  EXPECT_EQ(retried.open_attempt_deadline().seconds(), attempt.deadline().seconds() + 1200);
  v1::AttemptResult result;
  ASSERT_TRUE(Submit(token, attempt.id(), &result).ok());
  EXPECT_FALSE(result.graded_by_server());
  // The limit of one plus two granted: more attempts, each with its extra twenty minutes.
  v1::Attempt second;
  ASSERT_TRUE(Start(token, paper.id(), &second).ok());
  EXPECT_EQ(second.deadline().seconds() - second.start_time().seconds(), 60 + 1200);
  ASSERT_TRUE(Submit(token, second.id(), &result).ok());
  v1::Attempt third;
  ASSERT_TRUE(Start(token, paper.id(), &third).ok());
  ASSERT_TRUE(Submit(token, third.id(), &result).ok());
  EXPECT_EQ(Start(token, paper.id(), &third).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AssessmentApiTest, PracticeFeedbackShowsTheKeyOfTheAnswerJustGivenAndMakesItFinal) {
  const v1::Question answered = FillIn();
  const v1::Question other = TrueFalse();
  const v1::Paper paper = Quiz({answered.id(), other.id()}, v1::PAPER_KIND_PRACTICE_QUIZ);
  const std::string token = MemberToken(NewMember());
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, paper.id(), &attempt).ok());
  v1::SaveAnswersRequest save;
  save.set_attempt_id(attempt.id());
  save.set_sequence(1);
  v1::Answer* answer = save.add_answers();
  answer->set_question_id(answered.id());
  answer->add_blanks("1921");
  v1::SaveAnswersResponse saved;
  ASSERT_TRUE(server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).ok());
  ASSERT_EQ(saved.feedback_size(), 1);
  EXPECT_EQ(saved.feedback(0).question_id(), answered.id());
  EXPECT_FALSE(saved.feedback(0).correct());  // the key is "1921" plus the canary
  EXPECT_EQ(saved.feedback(0).key().explanation(), kExplanationCanary);
  // The other question's key is nowhere yet.
  v1::GetAttemptRequest get;
  get.set_attempt_id(attempt.id());
  v1::Attempt resumed;
  ASSERT_TRUE(server_->assessment().GetAttempt(server_->Context(token).get(), get, &resumed).ok());
  ASSERT_EQ(resumed.feedback_size(), 1);
  EXPECT_EQ(resumed.feedback(0).question_id(), answered.id());
  // Changing an answer whose key was shown is refused.
  save.set_sequence(2);
  save.mutable_answers(0)->set_blanks(0, absl::StrCat("1921", kKeyCanary));
  EXPECT_EQ(
      server_->assessment().SaveAnswers(server_->Context(token).get(), save, &saved).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AssessmentApiTest, ReviewNeverShowsMembersTheScoreAloneAndAdminsEverything) {
  v1::Paper paper;
  paper.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
  paper.set_title("闭卷");
  paper.add_fixed_question_ids(FillIn().id());
  v1::TypePoints* points = paper.add_type_points();
  points->set_type(v1::QUESTION_TYPE_FILL_IN_BLANK);
  points->set_points(3);
  paper.set_pass_points(3);
  paper.set_review_policy(v1::REVIEW_POLICY_NEVER);
  const v1::Paper published = Publish(paper);
  const std::string token = MemberToken(NewMember());
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, published.id(), &attempt).ok());
  v1::AttemptResult result;
  ASSERT_TRUE(Submit(token, attempt.id(), &result).ok());
  EXPECT_FALSE(result.review_shown());
  EXPECT_EQ(result.total_points(), 3);
  const std::string bytes = result.SerializeAsString();
  EXPECT_EQ(bytes.find(kKeyCanary), std::string::npos);
  EXPECT_EQ(bytes.find(kExplanationCanary), std::string::npos);
  // An admin sees the whole review.
  v1::GetAttemptResultRequest get;
  get.set_attempt_id(attempt.id());
  v1::AttemptResult admin_view;
  ASSERT_TRUE(server_->assessment()
                  .GetAttemptResult(server_->Context(Admin()).get(), get, &admin_view)
                  .ok());
  EXPECT_TRUE(admin_view.review_shown());
  EXPECT_NE(admin_view.SerializeAsString().find(kExplanationCanary), std::string::npos);
}

TEST_F(AssessmentApiTest, QuestionStatsCountGradedAttemptsOnce) {
  const v1::Question question = TrueFalse();
  const v1::Paper paper = Quiz({question.id()}, v1::PAPER_KIND_PRACTICE_QUIZ);
  for (const v1::Truth truth : {v1::TRUTH_TRUE, v1::TRUTH_FALSE, v1::TRUTH_FALSE}) {
    const std::string token = MemberToken(NewMember());
    v1::Attempt attempt;
    ASSERT_TRUE(Start(token, paper.id(), &attempt).ok());
    v1::SubmitAttemptRequest submit;
    submit.set_attempt_id(attempt.id());
    submit.set_sequence(1);
    v1::Answer* answer = submit.add_answers();
    answer->set_question_id(question.id());
    answer->set_truth(truth);
    v1::AttemptResult result;
    ASSERT_TRUE(
        server_->assessment().SubmitAttempt(server_->Context(token).get(), submit, &result).ok());
  }
  server_->RunTaskNow("assessment_question_stats");
  server_->RunTaskNow("assessment_question_stats");  // nothing left: nothing counted twice
  v1::ListQuestionStatsRequest request;
  request.set_paper_id(paper.id());
  v1::ListQuestionStatsResponse stats;
  ASSERT_TRUE(server_->assessment()
                  .ListQuestionStats(server_->Context(Admin()).get(), request, &stats)
                  .ok());
  ASSERT_EQ(stats.questions_size(), 1);
  EXPECT_EQ(stats.questions(0).attempts(), 3);
  EXPECT_EQ(stats.questions(0).correct(), 1);
  EXPECT_EQ(stats.questions(0).correct_permille(), 333);
  EXPECT_EQ(stats.questions(0).most_common_wrong_answer().truth(), v1::TRUTH_FALSE);
  EXPECT_EQ(stats.questions(0).most_common_wrong_count(), 2);
}

TEST_F(AssessmentApiTest, ARetiredQuestionIsNeverDrawnAgain) {
  // A category no other test uses: the rule's pool is exactly these four.
  std::vector<v1::Question> bank;
  for (int i = 0; i < 4; ++i) bank.push_back(TrueFalse(v1::CONTENT_CATEGORY_SITUATION_AND_POLICY));
  v1::Paper paper;
  paper.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
  paper.set_title("形势政策练习");
  v1::DrawRule* rule = paper.add_draw_rules();
  rule->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  rule->set_content_category(v1::CONTENT_CATEGORY_SITUATION_AND_POLICY);
  rule->set_count(3);
  v1::TypePoints* points = paper.add_type_points();
  points->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
  points->set_points(1);
  paper.set_pass_points(1);
  const v1::Paper published = Publish(paper);
  // A first start keeps the rule's pool for the next ones.
  v1::Attempt first;
  ASSERT_TRUE(Start(MemberToken(NewMember()), published.id(), &first).ok());
  v1::RetireQuestionRequest retire;
  retire.set_question_id(bank[0].id());
  retire.set_expected_version(bank[0].version());
  v1::Question retired;
  ASSERT_TRUE(
      server_->assessment().RetireQuestion(server_->Context(Admin()).get(), retire, &retired).ok());
  for (int m = 0; m < 12; ++m) {
    v1::Attempt attempt;
    ASSERT_TRUE(Start(MemberToken(NewMember()), published.id(), &attempt).ok());
    ASSERT_EQ(attempt.questions_size(), 3);
    for (const v1::AttemptQuestion& question : attempt.questions()) {
      EXPECT_NE(question.question_id(), bank[0].id()) << "a retired question was drawn";
    }
  }
}

struct BadCase {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
};

TEST_F(AssessmentApiTest, BadInputIsRefusedWithTheExactCodeAndWritesNothing) {
  const v1::Question truth = TrueFalse();
  const v1::Paper quiz = Quiz({truth.id()}, v1::PAPER_KIND_FINAL_TEST, 600, 1);
  const std::string token = MemberToken(NewMember());
  v1::Attempt attempt;
  ASSERT_TRUE(Start(token, quiz.id(), &attempt).ok());
  const auto question = [](std::function<void(v1::Question&)> change) {
    return [change] {
      v1::Question q;
      q.set_organization_id(kRoot);
      q.set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
      q.set_stem("党的根本宗旨是？");
      q.add_options()->set_text("全心全意为人民服务");
      q.add_options()->set_text("发展经济");
      q.mutable_key()->add_correct_option_ids(1);
      q.set_content_category(v1::CONTENT_CATEGORY_PARTY_PURPOSE);
      q.set_difficulty(2);
      change(q);
      v1::CreateQuestionRequest request;
      *request.mutable_question() = q;
      v1::Question ignored;
      return server_->assessment().CreateQuestion(server_->Context(Admin()).get(), request,
                                                  &ignored);
    };
  };
  const auto paper = [&](std::function<void(v1::Paper&)> change) {
    return [&, change] {
      v1::Paper p;
      p.set_organization_id(kRoot);
      p.set_kind(v1::PAPER_KIND_PRACTICE_QUIZ);
      p.set_title("练习");
      p.add_fixed_question_ids(truth.id());
      v1::TypePoints* points = p.add_type_points();
      points->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
      points->set_points(2);
      p.set_pass_points(2);
      change(p);
      v1::CreatePaperRequest request;
      *request.mutable_paper() = p;
      v1::Paper ignored;
      return server_->assessment().CreatePaper(server_->Context(Admin()).get(), request, &ignored);
    };
  };
  const auto save = [&](std::function<void(v1::SaveAnswersRequest&)> change) {
    return [&, change] {
      v1::SaveAnswersRequest request;
      request.set_attempt_id(attempt.id());
      request.set_sequence(1);
      v1::Answer* answer = request.add_answers();
      answer->set_question_id(truth.id());
      answer->set_truth(v1::TRUTH_TRUE);
      change(request);
      v1::SaveAnswersResponse ignored;
      return server_->assessment().SaveAnswers(server_->Context(token).get(), request, &ignored);
    };
  };
  const std::vector<BadCase> cases{
      {"no_stem", question([](v1::Question& q) { q.set_stem(""); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"two_keys_single",
       question([](v1::Question& q) { q.mutable_key()->add_correct_option_ids(2); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"key_past_options",
       question([](v1::Question& q) { q.mutable_key()->set_correct_option_ids(0, 3); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"one_option", question([](v1::Question& q) { q.mutable_options()->RemoveLast(); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"truth_on_choice",
       question([](v1::Question& q) { q.mutable_key()->set_correct_truth(v1::TRUTH_TRUE); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"difficulty_6", question([](v1::Question& q) { q.set_difficulty(6); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"unknown_type",
       question([](v1::Question& q) { q.set_type(static_cast<v1::QuestionType>(9)); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"unknown_bank", question([](v1::Question& q) { q.set_organization_id(987654); }),
       grpc::StatusCode::NOT_FOUND},
      {"fixed_and_rules", paper([](v1::Paper& p) {
         v1::DrawRule* rule = p.add_draw_rules();
         rule->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
         rule->set_count(1);
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"overlapping_rules", paper([](v1::Paper& p) {
         p.clear_fixed_question_ids();
         for (const auto category :
              {v1::CONTENT_CATEGORY_UNSPECIFIED, v1::CONTENT_CATEGORY_PARTY_CONSTITUTION}) {
           v1::DrawRule* rule = p.add_draw_rules();
           rule->set_type(v1::QUESTION_TYPE_TRUE_FALSE);
           rule->set_content_category(category);
           rule->set_count(1);
         }
       }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"pass_above_total", paper([](v1::Paper& p) { p.set_pass_points(3); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"type_without_points", paper([](v1::Paper& p) { p.clear_type_points(); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"time_limit_30s", paper([](v1::Paper& p) { p.set_time_limit_seconds(30); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"practice_with_limit", paper([](v1::Paper& p) { p.set_max_attempts(2); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"final_without_course", paper([](v1::Paper& p) { p.set_kind(v1::PAPER_KIND_FINAL_TEST); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"final_unknown_course", paper([](v1::Paper& p) {
         p.set_kind(v1::PAPER_KIND_FINAL_TEST);
         p.set_course_id(987654);
       }),
       grpc::StatusCode::NOT_FOUND},
      {"unknown_fixed_question", paper([](v1::Paper& p) { p.set_fixed_question_ids(0, 987654); }),
       grpc::StatusCode::NOT_FOUND},
      {"save_sequence_0", save([](v1::SaveAnswersRequest& r) { r.set_sequence(0); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"save_nothing", save([](v1::SaveAnswersRequest& r) { r.clear_answers(); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"save_foreign_question",
       save([](v1::SaveAnswersRequest& r) { r.mutable_answers(0)->set_question_id(987654); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"save_option_on_true_false",
       save([](v1::SaveAnswersRequest& r) { r.mutable_answers(0)->add_option_ids(1); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"save_twice_the_question",
       save([&](v1::SaveAnswersRequest& r) { *r.add_answers() = r.answers(0); }),
       grpc::StatusCode::INVALID_ARGUMENT},
      {"save_unknown_attempt", save([](v1::SaveAnswersRequest& r) { r.set_attempt_id(987654); }),
       grpc::StatusCode::NOT_FOUND},
      {"start_unknown_paper",
       [&] {
         v1::Attempt ignored;
         return Start(token, 987654, &ignored);
       },
       grpc::StatusCode::NOT_FOUND},
      {"result_before_submit",
       [&] {
         v1::GetAttemptResultRequest request;
         request.set_attempt_id(attempt.id());
         v1::AttemptResult ignored;
         return server_->assessment().GetAttemptResult(server_->Context(token).get(), request,
                                                       &ignored);
       },
       grpc::StatusCode::FAILED_PRECONDITION},
      {"grant_nothing",
       [&] {
         v1::GrantPaperOverrideRequest request;
         request.set_paper_id(quiz.id());
         request.set_member_id(attempt.member_id());
         request.set_reason("无");
         v1::PaperOverride ignored;
         return server_->assessment().GrantPaperOverride(server_->Context(Admin()).get(), request,
                                                         &ignored);
       },
       grpc::StatusCode::INVALID_ARGUMENT},
  };
  auto& db = Db();
  const auto state = [&db] {
    return std::vector<int64_t>{db.QueryInt("SELECT COUNT(*) FROM question"),
                                db.QueryInt("SELECT COUNT(*) FROM paper"),
                                db.QueryInt("SELECT COUNT(*) FROM attempt"),
                                db.QueryInt("SELECT COUNT(*) FROM paper_override"),
                                db.QueryInt("SELECT COALESCE(SUM(save_sequence), 0) FROM attempt"),
                                db.QueryInt("SELECT COUNT(answer_json) FROM attempt_question")};
  };
  for (const BadCase& bad : cases) {
    const std::vector<int64_t> before = state();
    const grpc::Status status = bad.call();
    EXPECT_EQ(status.error_code(), bad.code) << bad.name << ": " << status.error_message();
    EXPECT_EQ(state(), before) << bad.name << " wrote something";
  }
}

}  // namespace
}  // namespace lms
