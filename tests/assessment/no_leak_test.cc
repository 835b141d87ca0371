// No response a member (or a member's kiosk session) can receive carries a key or an
// explanation before the review policy allows it. Generated from the descriptors: every
// unary RPC of every hosted service whose policy lets members call it is called, as a
// member and as a member session on a kiosk, with every id field naming the objects
// below (a paper whose review opens when its window closes, the member's graded attempt
// and open attempt, the questions), and each answer's bytes are searched for the canary
// strings planted in every key and explanation. Closing the paper then opens the review,
// and the same search must find them: the search can fail.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tests/testing/test_database.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr char kKeyCanary[] = "KEYCANARY甲";
constexpr char kExplanationCanary[] = "EXPLAINCANARY乙";
constexpr int64_t kMember = 1001;
constexpr int64_t kKiosk = 100;
constexpr int64_t kCourse = 900;

class NoLeakTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("no_leak");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (1001, '党员', 'M1001', 2, 2, 1, 1, NOW(),"
        " NOW())");
    db.Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '甲活动室', REPEAT('a', 64), NOW())");
    testing::SeedPublishedCourse(db, kCourse, "学习党章");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, 1); }
  static auth::Caller Member() {
    auth::Caller caller;
    caller.role = Role::kMember;
    caller.member_id = kMember;
    caller.organization_id = 2;
    return caller;
  }
  static std::vector<std::pair<std::string, std::string>> MemberMetadata(bool on_kiosk) {
    auth::Caller member = Member();
    if (on_kiosk) member.kiosk_id = kKiosk;
    std::vector<std::pair<std::string, std::string>> metadata{
        {"authorization", absl::StrCat("Bearer ", server_->TokenFor(member))}};
    if (on_kiosk) {
      auth::Caller kiosk;
      kiosk.role = Role::kKiosk;
      kiosk.organization_id = 2;
      kiosk.kiosk_id = kKiosk;
      metadata.emplace_back("lms-kiosk-authorization",
                            absl::StrCat("Bearer ", server_->TokenFor(kiosk)));
    }
    return metadata;
  }

  // A question of each type, every key and explanation carrying the canaries.
  static std::vector<int64_t> CanaryQuestions() {
    std::vector<v1::Question> questions(4);
    questions[0].set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
    questions[1].set_type(v1::QUESTION_TYPE_MULTIPLE_CHOICE);
    for (int q = 0; q < 2; ++q) {
      for (const char* text : {"甲", "乙", "丙"}) questions[q].add_options()->set_text(text);
      questions[q].mutable_key()->add_correct_option_ids(1);
    }
    questions[1].mutable_key()->add_correct_option_ids(3);
    questions[2].set_type(v1::QUESTION_TYPE_TRUE_FALSE);
    questions[2].mutable_key()->set_correct_truth(v1::TRUTH_FALSE);
    questions[3].set_type(v1::QUESTION_TYPE_FILL_IN_BLANK);
    questions[3].mutable_key()->add_blanks()->add_accepted(kKeyCanary);
    std::vector<int64_t> ids;
    for (v1::Question& question : questions) {
      question.set_organization_id(1);
      question.set_stem("党的根本宗旨是什么？");
      question.set_content_category(v1::CONTENT_CATEGORY_PARTY_PURPOSE);
      question.set_difficulty(3);
      question.mutable_key()->set_explanation(kExplanationCanary);
      v1::CreateQuestionRequest request;
      *request.mutable_question() = question;
      v1::Question created;
      const grpc::Status status =
          server_->assessment().CreateQuestion(server_->Context(Admin()).get(), request, &created);
      EXPECT_TRUE(status.ok()) << status.error_message();
      ids.push_back(created.id());
    }
    return ids;
  }

  // Calls every member-reachable unary RPC with `ids` in its id fields; returns the
  // methods that answered OK, and fails the test for any answer carrying a canary.
  static std::vector<std::string> CallEverything(const std::map<std::string, int64_t>& ids,
                                                 bool expect_leak_free) {
    std::vector<std::string> answered;
    for (const std::string& service_name : server_->service_names()) {
      const auto* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor& method = *service->method(m);
        if (method.client_streaming() || method.server_streaming()) continue;
        const auth::MethodPolicy policy = auth::RequirePolicy(service_name, method.name());
        if (!policy.Allows(Role::kMember)) continue;
        google::protobuf::DynamicMessageFactory factory;
        std::unique_ptr<google::protobuf::Message> request(
            factory.GetPrototype(method.input_type())->New());
        const google::protobuf::Descriptor& type = *method.input_type();
        for (int f = 0; f < type.field_count(); ++f) {
          const google::protobuf::FieldDescriptor& field = *type.field(f);
          const auto id = ids.find(field.name());
          if (id == ids.end() ||
              field.cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
            continue;
          }
          if (field.is_repeated()) {
            request->GetReflection()->AddInt64(request.get(), &field, id->second);
          } else {
            request->GetReflection()->SetInt64(request.get(), &field, id->second);
          }
        }
        for (const bool on_kiosk : {false, true}) {
          if (on_kiosk && !policy.kiosk_member_sessions) continue;
          std::string bytes;
          const grpc::Status status =
              server_->CallRaw(absl::StrCat("/", service_name, "/", method.name()),
                               request->SerializeAsString(), MemberMetadata(on_kiosk), &bytes);
          if (!status.ok()) continue;
          answered.push_back(absl::StrCat(method.name(), on_kiosk ? "@kiosk" : ""));
          const bool leaked = bytes.find(kKeyCanary) != std::string::npos ||
                              bytes.find(kExplanationCanary) != std::string::npos;
          if (expect_leak_free) {
            EXPECT_FALSE(leaked) << method.full_name() << (on_kiosk ? " on a kiosk" : "")
                                 << " answered a member with a key or an explanation";
          } else if (leaked) {
            answered.push_back(absl::StrCat("leaked:", method.name()));
          }
        }
      }
    }
    return answered;
  }

  static testing::TestServer* server_;
};
testing::TestServer* NoLeakTest::server_ = nullptr;

TEST_F(NoLeakTest, NoMemberReachableAnswerCarriesAKeyBeforeTheReviewOpens) {
  const std::vector<int64_t> questions = CanaryQuestions();
  v1::Paper paper;
  paper.set_organization_id(1);
  paper.set_kind(v1::PAPER_KIND_FINAL_TEST);
  paper.set_course_id(kCourse);
  paper.set_title("党的宗旨测试");
  for (const int64_t id : questions) paper.add_fixed_question_ids(id);
  for (const auto type : {v1::QUESTION_TYPE_SINGLE_CHOICE, v1::QUESTION_TYPE_MULTIPLE_CHOICE,
                          v1::QUESTION_TYPE_TRUE_FALSE, v1::QUESTION_TYPE_FILL_IN_BLANK}) {
    v1::TypePoints* points = paper.add_type_points();
    points->set_type(type);
    points->set_points(5);
  }
  paper.set_pass_points(15);
  paper.set_time_limit_seconds(3600);
  paper.set_review_policy(v1::REVIEW_POLICY_AFTER_CLOSE);
  v1::CreatePaperRequest create;
  *create.mutable_paper() = paper;
  v1::Paper draft;
  ASSERT_TRUE(
      server_->assessment().CreatePaper(server_->Context(Admin()).get(), create, &draft).ok());
  v1::PublishPaperRequest publish;
  publish.set_paper_id(draft.id());
  publish.set_expected_version(draft.version());
  v1::Paper published;
  ASSERT_TRUE(server_->assessment()
                  .PublishPaper(server_->Context(Admin()).get(), publish, &published)
                  .ok());

  // A graded attempt with every question answered (wrongly: the canary is the key), and
  // an open one.
  const std::string member = server_->TokenFor(Member());
  v1::StartAttemptRequest start;
  start.set_paper_id(published.id());
  v1::Attempt graded;
  ASSERT_TRUE(
      server_->assessment().StartAttempt(server_->Context(member).get(), start, &graded).ok());
  v1::SubmitAttemptRequest submit;
  submit.set_attempt_id(graded.id());
  submit.set_sequence(1);
  for (const v1::AttemptQuestion& question : graded.questions()) {
    v1::Answer* answer = submit.add_answers();
    answer->set_question_id(question.question_id());
    if (question.options_size() > 0) answer->add_option_ids(question.options(0).id());
    if (question.type() == v1::QUESTION_TYPE_TRUE_FALSE) answer->set_truth(v1::TRUTH_TRUE);
    if (question.blank_count() > 0) answer->add_blanks("为人民服务");
  }
  v1::AttemptResult result;
  ASSERT_TRUE(
      server_->assessment().SubmitAttempt(server_->Context(member).get(), submit, &result).ok());
  EXPECT_FALSE(result.review_shown());
  v1::Attempt open;
  ASSERT_TRUE(
      server_->assessment().StartAttempt(server_->Context(member).get(), start, &open).ok());

  const std::map<std::string, int64_t> graded_ids{{"paper_id", published.id()},
                                                  {"attempt_id", graded.id()},
                                                  {"question_id", questions[3]},
                                                  {"course_id", kCourse},
                                                  {"organization_id", 2}};
  std::map<std::string, int64_t> open_ids = graded_ids;
  open_ids["attempt_id"] = open.id();
  std::vector<std::string> answered = CallEverything(graded_ids, true);
  const std::vector<std::string> more = CallEverything(open_ids, true);
  answered.insert(answered.end(), more.begin(), more.end());
  // The search ran over the answers that matter: the member's view of the paper, the
  // attempts and the results, on a phone and on a kiosk.
  for (const char* method :
       {"GetPaper", "ListPapers", "StartAttempt", "GetAttempt", "GetAttemptResult", "ListAttempts",
        "GetAttempt@kiosk", "GetAttemptResult@kiosk"}) {
    EXPECT_NE(std::find(answered.begin(), answered.end(), method), answered.end())
        << method << " never answered OK, so its bytes were never searched";
  }

  // Closing the paper opens the review: now the result carries the keys, and the same
  // search finds them.
  v1::ClosePaperRequest close;
  close.set_paper_id(published.id());
  close.set_expected_version(published.version());
  v1::Paper closed;
  ASSERT_TRUE(
      server_->assessment().ClosePaper(server_->Context(Admin()).get(), close, &closed).ok());
  const std::vector<std::string> after = CallEverything(graded_ids, false);
  EXPECT_NE(std::find(after.begin(), after.end(), "leaked:GetAttemptResult"), after.end());
}

}  // namespace
}  // namespace lms
