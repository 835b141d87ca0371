// Offline exams on kiosks through a real gRPC channel against a real database: a lease
// drawn in a kiosk member session, an answer chain sealed with the kiosk's exam key and
// uploaded by the kiosk; every refusal the README lists, with its reason; the attempt
// limit counting leases; a lease never uploaded graded as abandoned.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "common/auth/exam_chain.h"
#include "common/auth/kiosk_ticket.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tests/testing/test_database.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int64_t kBranchA = 2;
constexpr int64_t kKioskA = 100;   // branch A
constexpr int64_t kKioskA2 = 101;  // branch A too
constexpr int64_t kKioskB = 200;   // branch B
constexpr char kKeyCanary[] = "KEYCANARY一九二一";

// An exam as a kiosk takes it: its own key pair, the lease, the links sealed so far.
struct KioskExam {
  std::string lease;
  v1::KioskExamLeaseClaims claims;
  std::string public_key;
  std::string secret_key;
  std::vector<v1::SealedExamEntry> chain;
  absl::Time started;  // the kiosk's wall clock at START

  KioskExam() {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    public_key.assign(reinterpret_cast<char*>(pk), sizeof(pk));
    secret_key.assign(reinterpret_cast<char*>(sk), sizeof(sk));
  }
  v1::ExamSeal Next(v1::ExamSealKind kind, int64_t elapsed_ms) const {
    v1::ExamSeal seal;
    seal.set_attempt_id(claims.attempt_id());
    seal.set_sequence(static_cast<int32_t>(chain.size()) + 1);
    seal.set_kind(kind);
    seal.set_elapsed_ms(elapsed_ms);
    grpc_util::SetTimestamp(started + absl::Milliseconds(elapsed_ms), seal.mutable_kiosk_time());
    seal.set_previous_digest(chain.empty() ? auth::ExamDigest(lease)
                                           : auth::ExamDigest(chain.back().seal()));
    return seal;
  }
  void Start(absl::Time kiosk_now) {
    started = kiosk_now;
    chain.push_back(auth::SealExamLink(Next(v1::EXAM_SEAL_KIND_START, 0), secret_key));
  }
  void Answer(int64_t elapsed_ms, const v1::Answer& answer) {
    v1::ExamSeal seal = Next(v1::EXAM_SEAL_KIND_ANSWER, elapsed_ms);
    *seal.mutable_answer() = answer;
    chain.push_back(auth::SealExamLink(seal, secret_key));
  }
  void Finish(int64_t elapsed_ms) {
    chain.push_back(auth::SealExamLink(Next(v1::EXAM_SEAL_KIND_FINISH, elapsed_ms), secret_key));
  }
  // The right answer to each drawn question (the test's questions: true, option 1,
  // "1921...").
  v1::Answer Right(int index) const {
    const v1::AttemptQuestion& question = claims.questions(index);
    v1::Answer answer;
    answer.set_question_id(question.question_id());
    switch (question.type()) {
      case v1::QUESTION_TYPE_TRUE_FALSE:
        answer.set_truth(v1::TRUTH_TRUE);
        break;
      case v1::QUESTION_TYPE_SINGLE_CHOICE:
        answer.add_option_ids(1);
        break;
      default:
        answer.add_blanks(absl::StrCat("1921", kKeyCanary));
        break;
    }
    return answer;
  }
  v1::Answer Wrong(int index) const {
    v1::Answer answer = Right(index);
    if (answer.truth() == v1::TRUTH_TRUE) answer.set_truth(v1::TRUTH_FALSE);
    if (answer.option_ids_size() > 0) answer.set_option_ids(0, 2);
    if (answer.blanks_size() > 0) answer.set_blanks(0, "1949");
    return answer;
  }
  // START at `kiosk_now`, every question right 10 s apart, FINISH.
  void AnswerAllRight(absl::Time kiosk_now) {
    Start(kiosk_now);
    for (int i = 0; i < claims.questions_size(); ++i) Answer(10'000 * (i + 1), Right(i));
    Finish(10'000 * (claims.questions_size() + 1));
  }
};

class KioskExamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("kiosk_exam");
    testing::SeedRootAndTwoBranches(Db());
    Db().Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '一车间党员活动室', REPEAT('a', 64), NOW()),"
        " (101, 2, '一车间休息室', REPEAT('c', 64), NOW()),"
        " (200, 3, '二车间党员活动室', REPEAT('b', 64), NOW())");
    for (int i = 0; i < 3; ++i) questions_.push_back(Create(i));
  }
  static void TearDownTestSuite() { delete server_; }

  static testing::TestDatabase& Db() { return server_->database(); }
  static absl::Time Now() { return server_->clock().Now(); }
  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static int64_t NewMember(int64_t organization = kBranchA) {
    const int64_t id = 1000 + ++serial_;
    Db().Execute(absl::StrCat(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (",
        id, ", '倒班党员", id, "', 'X", id, "', ", organization, ", 2, 1, 1, NOW(), NOW())"));
    return id;
  }
  static std::string MemberToken(int64_t member, int64_t kiosk = 0) {
    auth::Caller caller;
    caller.role = Role::kMember;
    caller.member_id = member;
    caller.organization_id = kBranchA;
    caller.kiosk_id = kiosk;
    return server_->TokenFor(caller);
  }
  static std::string KioskToken(int64_t kiosk) {
    auth::Caller caller;
    caller.role = Role::kKiosk;
    caller.kiosk_id = kiosk;
    caller.organization_id = kiosk == kKioskB ? 3 : kBranchA;
    return server_->TokenFor(caller);
  }
  // A member session opened on `kiosk`: the member's token and the kiosk's.
  static std::unique_ptr<grpc::ClientContext> OnKiosk(int64_t member, int64_t kiosk = kKioskA) {
    auto context = server_->Context(MemberToken(member, kiosk));
    context->AddMetadata("lms-kiosk-authorization", absl::StrCat("Bearer ", KioskToken(kiosk)));
    return context;
  }
  static std::string Ticket(int64_t member, int64_t kiosk, absl::Time issued,
                            absl::Duration window = absl::Hours(12)) {
    auth::KioskTicket ticket;
    ticket.ticket_id = absl::StrCat("t", ++serial_);
    ticket.member_id = member;
    ticket.kiosk_id = kiosk;
    ticket.issued = issued;
    ticket.expires = issued + window;
    return auth::SealKioskTicket(ticket, server_->token_keys().secret_key);
  }

  static v1::Question Create(int which) {
    v1::Question question;
    question.set_organization_id(kRoot);
    question.set_content_category(v1::CONTENT_CATEGORY_PARTY_CONSTITUTION);
    question.set_difficulty(2);
    question.mutable_key()->set_explanation("解析");
    if (which == 0) {
      question.set_type(v1::QUESTION_TYPE_TRUE_FALSE);
      question.set_stem("党章是党的根本大法。");
      question.mutable_key()->set_correct_truth(v1::TRUTH_TRUE);
    } else if (which == 1) {
      question.set_type(v1::QUESTION_TYPE_SINGLE_CHOICE);
      question.set_stem("党的最高理想和最终目标是？");
      for (const char* text : {"实现共产主义", "全面建成小康社会", "实现现代化"}) {
        question.add_options()->set_text(text);
      }
      question.mutable_key()->add_correct_option_ids(1);
    } else {
      question.set_type(v1::QUESTION_TYPE_FILL_IN_BLANK);
      question.set_stem("中国共产党成立于（　）年。");
      question.mutable_key()->add_blanks()->add_accepted(absl::StrCat("1921", kKeyCanary));
    }
    v1::CreateQuestionRequest request;
    *request.mutable_question() = question;
    v1::Question created;
    const grpc::Status status =
        server_->assessment().CreateQuestion(server_->Context(Admin()).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }
  // A course's final test over the three questions, 2 points each, pass at 4.
  static v1::Paper Paper(int32_t time_limit = 600, int32_t grace = 60, int32_t max_attempts = 0,
                         v1::PaperKind kind = v1::PAPER_KIND_FINAL_TEST) {
    v1::Paper paper;
    paper.set_organization_id(kRoot);
    paper.set_kind(kind);
    paper.set_title("党章党规测试");
    if (kind == v1::PAPER_KIND_FINAL_TEST) {
      const int64_t course = 7000 + ++serial_;
      testing::SeedPublishedCourse(Db(), course, "学习党章");
      paper.set_course_id(course);
    }
    for (const v1::Question& question : questions_) paper.add_fixed_question_ids(question.id());
    for (const auto type : {v1::QUESTION_TYPE_TRUE_FALSE, v1::QUESTION_TYPE_SINGLE_CHOICE,
                            v1::QUESTION_TYPE_FILL_IN_BLANK}) {
      v1::TypePoints* points = paper.add_type_points();
      points->set_type(type);
      points->set_points(2);
    }
    paper.set_pass_points(4);
    paper.set_time_limit_seconds(time_limit);
    paper.set_grace_seconds(grace);
    paper.set_max_attempts(max_attempts);
    v1::CreatePaperRequest create;
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

  static grpc::Status Lease(int64_t member, int64_t paper_id, KioskExam& exam,
                            int64_t kiosk = kKioskA, const std::string& request_id = "") {
    v1::LeaseKioskExamRequest request;
    request.set_request_id(request_id.empty() ? absl::StrCat("lease-", ++serial_) : request_id);
    request.set_paper_id(paper_id);
    request.set_kiosk_public_key(exam.public_key);
    v1::KioskExamLease lease;
    const grpc::Status status =
        server_->assessment().LeaseKioskExam(OnKiosk(member, kiosk).get(), request, &lease);
    exam.lease = lease.lease();
    exam.claims = lease.claims();
    return status;
  }
  static KioskExam Leased(int64_t member, int64_t paper_id) {
    KioskExam exam;
    const grpc::Status status = Lease(member, paper_id, exam);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return exam;
  }
  static v1::UploadKioskExamRequest UploadOf(int64_t member, const KioskExam& exam,
                                             const std::string& ticket) {
    v1::UploadKioskExamRequest request;
    request.set_member_id(member);
    request.set_lease(exam.lease);
    for (const v1::SealedExamEntry& entry : exam.chain) *request.add_chain() = entry;
    request.mutable_evidence()->set_kiosk_ticket(ticket);
    grpc_util::SetTimestamp(Now(), request.mutable_sent_time());
    return request;
  }
  static grpc::Status Upload(const v1::UploadKioskExamRequest& request,
                             v1::UploadKioskExamResponse* response, int64_t kiosk = kKioskA) {
    return server_->assessment().UploadKioskExam(server_->Context(KioskToken(kiosk)).get(), request,
                                                 response);
  }
  static v1::UploadKioskExamResponse UploadOk(const v1::UploadKioskExamRequest& request,
                                              int64_t kiosk = kKioskA) {
    v1::UploadKioskExamResponse response;
    const grpc::Status status = Upload(request, &response, kiosk);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static void ExpectRefused(const v1::UploadKioskExamRequest& request, v1::ExamUploadRefusal why,
                            int64_t kiosk = kKioskA) {
    const v1::UploadKioskExamResponse response = UploadOk(request, kiosk);
    EXPECT_EQ(response.outcome(), v1::EXAM_UPLOAD_OUTCOME_REFUSED)
        << v1::ExamUploadRefusal_Name(why) << " expected; " << response.ShortDebugString();
    EXPECT_EQ(response.refusal(), why) << response.detail();
    EXPECT_FALSE(response.detail().empty());
    EXPECT_FALSE(response.has_result());
  }
  static v1::Attempt GetAttempt(int64_t member, int64_t attempt_id) {
    v1::GetAttemptRequest request;
    request.set_attempt_id(attempt_id);
    v1::Attempt attempt;
    const grpc::Status status = server_->assessment().GetAttempt(
        server_->Context(MemberToken(member)).get(), request, &attempt);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return attempt;
  }

  static testing::TestServer* server_;
  static std::vector<v1::Question> questions_;
  static int serial_;
};
testing::TestServer* KioskExamTest::server_ = nullptr;
std::vector<v1::Question> KioskExamTest::questions_;
int KioskExamTest::serial_ = 0;

TEST_F(KioskExamTest, ExamUploadedInTimeIsGradedAndTheSameChainAgainAnswersTheSame) {
  const v1::Paper paper = Paper();
  const int64_t member = NewMember();
  const std::string ticket = Ticket(member, kKioskA, Now());
  KioskExam exam = Leased(member, paper.id());
  ASSERT_EQ(exam.claims.questions_size(), 3);
  EXPECT_EQ(exam.claims.member_id(), member);
  EXPECT_EQ(exam.claims.kiosk_id(), kKioskA);
  EXPECT_EQ(exam.claims.kiosk_public_key(), exam.public_key);
  EXPECT_EQ(exam.claims.time_limit_seconds(), 600);
  EXPECT_EQ(exam.claims.grace_seconds(), 60);
  // Timestamps carry microseconds.
  EXPECT_LT(absl::AbsDuration(grpc_util::TimeFromProto(exam.claims.window_end()) - Now() -
                              absl::Hours(12)),
            absl::Milliseconds(1));
  EXPECT_LT(absl::AbsDuration(grpc_util::TimeFromProto(exam.claims.upload_due()) - Now() -
                              absl::Hours(84)),
            absl::Milliseconds(1));
  // No key reaches the kiosk.
  EXPECT_EQ(exam.claims.SerializeAsString().find(kKeyCanary), std::string::npos);
  EXPECT_EQ(exam.lease.find(kKeyCanary), std::string::npos);

  // A retried lease (same request id) is the same lease, not a second attempt.
  const int64_t retrying = NewMember();
  const std::string request_id = absl::StrCat("same-lease-", ++serial_);
  KioskExam first;
  KioskExam retried;
  retried.public_key = first.public_key;
  ASSERT_TRUE(Lease(retrying, paper.id(), first, kKioskA, request_id).ok());
  ASSERT_TRUE(Lease(retrying, paper.id(), retried, kKioskA, request_id).ok());
  EXPECT_EQ(retried.lease, first.lease);

  server_->clock().Advance(absl::Minutes(30));
  exam.Start(Now());
  exam.Answer(5'000, exam.Wrong(0));
  exam.Answer(8'000, exam.Right(0));  // changed its mind: the last answer counts
  exam.Answer(20'000, exam.Right(1));
  exam.Answer(30'000, exam.Wrong(2));
  exam.Finish(40'000);
  server_->clock().Advance(absl::Minutes(5));
  const v1::UploadKioskExamRequest upload = UploadOf(member, exam, ticket);
  const v1::UploadKioskExamResponse graded = UploadOk(upload);
  ASSERT_EQ(graded.outcome(), v1::EXAM_UPLOAD_OUTCOME_GRADED) << graded.detail();
  EXPECT_EQ(graded.result().points(), 4);
  EXPECT_TRUE(graded.result().passed());
  EXPECT_FALSE(graded.result().graded_by_server());
  EXPECT_EQ(graded.late_answers(), 0);
  EXPECT_EQ(graded.result().attempt_id(), exam.claims.attempt_id());

  const v1::UploadKioskExamResponse repeated = UploadOk(upload);
  EXPECT_EQ(repeated.outcome(), v1::EXAM_UPLOAD_OUTCOME_ALREADY_GRADED);
  EXPECT_EQ(repeated.result().points(), 4);

  // Another chain under the used lease.
  KioskExam other = exam;
  other.chain.clear();
  other.AnswerAllRight(Now() - absl::Minutes(2));
  ExpectRefused(UploadOf(member, other, ticket), v1::EXAM_UPLOAD_REFUSAL_LEASE_USED);

  const v1::Attempt attempt = GetAttempt(member, exam.claims.attempt_id());
  EXPECT_EQ(attempt.state(), v1::ATTEMPT_STATE_GRADED);
  EXPECT_EQ(attempt.lease().status(), v1::KIOSK_EXAM_LEASE_STATUS_UPLOADED);
  EXPECT_EQ(attempt.lease().kiosk_id(), kKioskA);
  // The start is the kiosk's, corrected: 5 minutes and 40 seconds before the upload.
  EXPECT_LT(absl::AbsDuration(grpc_util::TimeFromProto(attempt.start_time()) - exam.started),
            absl::Milliseconds(1));
}

TEST_F(KioskExamTest, AnswersAfterTheTimeLimitPlusGraceDoNotCount) {
  const v1::Paper paper = Paper(/*time_limit=*/60, /*grace=*/10);
  const int64_t member = NewMember();
  const std::string ticket = Ticket(member, kKioskA, Now());
  KioskExam exam = Leased(member, paper.id());
  exam.Start(Now());
  exam.Answer(30'000, exam.Right(0));
  exam.Answer(69'000, exam.Right(1));  // in the grace
  exam.Answer(71'000, exam.Right(2));  // too late
  exam.Finish(75'000);
  server_->clock().Advance(absl::Minutes(2));
  const v1::UploadKioskExamResponse graded = UploadOk(UploadOf(member, exam, ticket));
  ASSERT_EQ(graded.outcome(), v1::EXAM_UPLOAD_OUTCOME_GRADED) << graded.detail();
  EXPECT_EQ(graded.result().points(), 4);
  EXPECT_EQ(graded.late_answers(), 1);
  EXPECT_TRUE(graded.result().late_answers_refused());
}

TEST_F(KioskExamTest, TamperedTruncatedReorderedAndResignedChainsAreRefusedAndRecorded) {
  const v1::Paper paper = Paper();
  const int64_t member = NewMember();
  const std::string ticket = Ticket(member, kKioskA, Now());
  KioskExam exam = Leased(member, paper.id());
  exam.Start(Now());
  exam.Answer(10'000, exam.Wrong(0));
  exam.Answer(20'000, exam.Right(1));
  exam.Answer(30'000, exam.Right(2));
  exam.Finish(40'000);
  server_->clock().Advance(absl::Minutes(1));

  // A wrong answer edited into a right one.
  KioskExam edited = exam;
  v1::ExamSeal seal;
  ASSERT_TRUE(seal.ParseFromString(edited.chain[1].seal()));
  *seal.mutable_answer() = exam.Right(0);
  edited.chain[1].set_seal(seal.SerializeAsString());
  ExpectRefused(UploadOf(member, edited, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_SIGNATURE_INVALID);
  // The same edit re-signed with another key (the lease names the kiosk's).
  KioskExam resigned = edited;
  const KioskExam stranger;
  resigned.chain[1] = auth::SealExamLink(seal, stranger.secret_key);
  ExpectRefused(UploadOf(member, resigned, ticket),
                v1::EXAM_UPLOAD_REFUSAL_CHAIN_SIGNATURE_INVALID);
  // The whole chain re-made with another key.
  KioskExam remade = exam;
  remade.secret_key = stranger.secret_key;
  remade.chain.clear();
  remade.AnswerAllRight(exam.started);
  ExpectRefused(UploadOf(member, remade, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_SIGNATURE_INVALID);
  // The end cut off (the last answers and FINISH).
  KioskExam truncated = exam;
  truncated.chain.resize(3);
  ExpectRefused(UploadOf(member, truncated, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_TRUNCATED);
  // The wrong answer removed.
  KioskExam removed = exam;
  removed.chain.erase(removed.chain.begin() + 1);
  ExpectRefused(UploadOf(member, removed, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_BROKEN);
  // Two answers swapped.
  KioskExam reordered = exam;
  std::swap(reordered.chain[1], reordered.chain[2]);
  ExpectRefused(UploadOf(member, reordered, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_BROKEN);
  // A link of another exam spliced in.
  KioskExam spliced = exam;
  spliced.chain.insert(spliced.chain.begin() + 2, auth::SealExamLink(seal, exam.secret_key));
  ExpectRefused(UploadOf(member, spliced, ticket), v1::EXAM_UPLOAD_REFUSAL_CHAIN_BROKEN);

  // Each refusal is kept for inspection, and the lease still takes the true chain.
  EXPECT_EQ(Db().QueryString(absl::StrCat("SELECT COUNT(*) FROM exam_upload_refusal WHERE"
                                          " attempt_id = ",
                                          exam.claims.attempt_id())),
            "7");
  const v1::UploadKioskExamResponse graded = UploadOk(UploadOf(member, exam, ticket));
  ASSERT_EQ(graded.outcome(), v1::EXAM_UPLOAD_OUTCOME_GRADED) << graded.detail();
  EXPECT_EQ(graded.result().points(), 4);
}

TEST_F(KioskExamTest, LeasesOfAnotherKioskOrMemberAndForgedLeasesAreRefused) {
  const v1::Paper paper = Paper();
  const int64_t member = NewMember();
  const int64_t colleague = NewMember();
  KioskExam exam = Leased(member, paper.id());
  exam.AnswerAllRight(Now());
  server_->clock().Advance(absl::Minutes(1));

  // Kiosk A2 serves the member too, but the lease is kiosk A's.
  ExpectRefused(UploadOf(member, exam, Ticket(member, kKioskA2, Now() - absl::Hours(1))),
                v1::EXAM_UPLOAD_REFUSAL_LEASE_WRONG_KIOSK, kKioskA2);
  // Kiosk B does not serve the member at all.
  v1::UploadKioskExamResponse response;
  EXPECT_EQ(Upload(UploadOf(member, exam, Ticket(member, kKioskB, Now())), &response, kKioskB)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Uploaded as a colleague's.
  ExpectRefused(UploadOf(colleague, exam, Ticket(colleague, kKioskA, Now())),
                v1::EXAM_UPLOAD_REFUSAL_LEASE_WRONG_MEMBER);
  // A forged lease: a longer time limit written into the claims.
  KioskExam forged = exam;
  const size_t dot = forged.lease.rfind('.');
  forged.lease[dot - 3] = forged.lease[dot - 3] == 'A' ? 'B' : 'A';
  ExpectRefused(UploadOf(member, forged, Ticket(member, kKioskA, Now())),
                v1::EXAM_UPLOAD_REFUSAL_LEASE_INVALID);
}

TEST_F(KioskExamTest, TimesOutsideTheLeaseAreRefused) {
  const v1::Paper paper = Paper(/*time_limit=*/0);  // untimed: the window bounds it
  const int64_t member = NewMember();
  // The chain claims two hours, but only ten minutes passed since the lease.
  KioskExam hurried = Leased(member, paper.id());
  hurried.Start(Now());
  hurried.Answer(3'600'000, hurried.Right(0));
  hurried.Finish(7'200'000);
  server_->clock().Advance(absl::Minutes(10));
  ExpectRefused(UploadOf(member, hurried, Ticket(member, kKioskA, Now())),
                v1::EXAM_UPLOAD_REFUSAL_TIME_IMPOSSIBLE);

  // Started after the window (12 hours) by the kiosk's own, correct clock.
  const v1::Paper other = Paper(600);
  KioskExam late = Leased(member, other.id());
  server_->clock().Advance(absl::Hours(13));
  const std::string ticket = Ticket(member, kKioskA, Now() - absl::Minutes(5));
  late.AnswerAllRight(Now());
  server_->clock().Advance(absl::Minutes(1));
  ExpectRefused(UploadOf(member, late, ticket), v1::EXAM_UPLOAD_REFUSAL_OUTSIDE_WINDOW);
}

TEST_F(KioskExamTest, ExamNeedsATicketOrPhoneCoveringItsStart) {
  const v1::Paper paper = Paper();
  const int64_t member = NewMember();
  const int64_t colleague = NewMember();
  KioskExam exam = Leased(member, paper.id());
  exam.AnswerAllRight(Now());
  server_->clock().Advance(absl::Minutes(1));

  v1::UploadKioskExamRequest claim = UploadOf(member, exam, "");
  claim.mutable_evidence()->mutable_kiosk_claim()->set_pin_checked(true);
  ExpectRefused(claim, v1::EXAM_UPLOAD_REFUSAL_EVIDENCE_WEAK);
  ExpectRefused(UploadOf(member, exam, Ticket(colleague, kKioskA, Now())),
                v1::EXAM_UPLOAD_REFUSAL_EVIDENCE_INVALID);
  ExpectRefused(UploadOf(member, exam, "kt1.forged.ticket"),
                v1::EXAM_UPLOAD_REFUSAL_EVIDENCE_INVALID);
  // A ticket from a sign-in that ended before the exam began.
  ExpectRefused(
      UploadOf(member, exam, Ticket(member, kKioskA, Now() - absl::Hours(14), absl::Hours(12))),
      v1::EXAM_UPLOAD_REFUSAL_EVIDENCE_OUTSIDE);
  const v1::UploadKioskExamResponse graded =
      UploadOk(UploadOf(member, exam, Ticket(member, kKioskA, Now() - absl::Hours(1))));
  EXPECT_EQ(graded.outcome(), v1::EXAM_UPLOAD_OUTCOME_GRADED) << graded.detail();
}

TEST_F(KioskExamTest, AttemptLimitCountsLeasesAndALeaseExcludesOnlineAttempts) {
  const v1::Paper paper = Paper(600, 60, /*max_attempts=*/1);
  const int64_t member = NewMember();
  const std::string ticket = Ticket(member, kKioskA, Now());
  KioskExam exam = Leased(member, paper.id());

  v1::StartAttemptRequest start;
  start.set_request_id(absl::StrCat("start-", ++serial_));
  start.set_paper_id(paper.id());
  v1::Attempt attempt;
  grpc::Status status = server_->assessment().StartAttempt(
      server_->Context(MemberToken(member)).get(), start, &attempt);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("leased to kiosk"), std::string::npos)
      << status.error_message();
  KioskExam second;
  status = Lease(member, paper.id(), second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("already leased"), std::string::npos);
  // The leased attempt is answered on the kiosk alone.
  v1::SaveAnswersRequest save;
  save.set_attempt_id(exam.claims.attempt_id());
  save.set_sequence(1);
  *save.add_answers() = exam.Right(0);
  v1::SaveAnswersResponse saved;
  EXPECT_EQ(server_->assessment()
                .SaveAnswers(server_->Context(MemberToken(member)).get(), save, &saved)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::SubmitAttemptRequest submit;
  submit.set_request_id(absl::StrCat("submit-", ++serial_));
  submit.set_attempt_id(exam.claims.attempt_id());
  v1::AttemptResult result;
  EXPECT_EQ(server_->assessment()
                .SubmitAttempt(server_->Context(MemberToken(member)).get(), submit, &result)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  exam.AnswerAllRight(Now());
  server_->clock().Advance(absl::Minutes(1));
  ASSERT_EQ(UploadOk(UploadOf(member, exam, ticket)).outcome(), v1::EXAM_UPLOAD_OUTCOME_GRADED);
  // The one attempt is used.
  start.set_request_id(absl::StrCat("start-", ++serial_));
  status = server_->assessment().StartAttempt(server_->Context(MemberToken(member)).get(), start,
                                              &attempt);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("no attempts left"), std::string::npos);
  status = Lease(member, paper.id(), second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // An attempt open online: no lease until it is submitted.
  const v1::Paper online = Paper();
  start.set_request_id(absl::StrCat("start-", ++serial_));
  start.set_paper_id(online.id());
  ASSERT_TRUE(server_->assessment()
                  .StartAttempt(server_->Context(MemberToken(member)).get(), start, &attempt)
                  .ok());
  status = Lease(member, online.id(), second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("open online"), std::string::npos);
}

TEST_F(KioskExamTest, ALeaseNeverUploadedExpiresAsAnAbandonedAttempt) {
  const v1::Paper paper = Paper(600, 60, /*max_attempts=*/2);
  const int64_t member = NewMember();
  KioskExam kept = Leased(member, paper.id());
  kept.AnswerAllRight(Now());
  server_->clock().Advance(absl::Hours(85));  // past the 12 + 72 hours
  // The overdue grader settles it by itself.
  server_->RunTaskNow("assessment_overdue");
  v1::Attempt attempt = GetAttempt(member, kept.claims.attempt_id());
  EXPECT_EQ(attempt.state(), v1::ATTEMPT_STATE_GRADED);
  EXPECT_EQ(attempt.lease().status(), v1::KIOSK_EXAM_LEASE_STATUS_EXPIRED);
  ExpectRefused(UploadOf(member, kept, Ticket(member, kKioskA, Now() - absl::Hours(85))),
                v1::EXAM_UPLOAD_REFUSAL_LEASE_EXPIRED);

  // A second lease, uploaded too late before the grader ran: refused, and graded then.
  KioskExam late = Leased(member, paper.id());
  const std::string ticket = Ticket(member, kKioskA, Now());
  late.AnswerAllRight(Now());
  server_->clock().Advance(absl::Hours(85));
  ExpectRefused(UploadOf(member, late, ticket), v1::EXAM_UPLOAD_REFUSAL_LEASE_EXPIRED);
  v1::GetAttemptResultRequest request;
  request.set_attempt_id(late.claims.attempt_id());
  v1::AttemptResult result;
  ASSERT_TRUE(server_->assessment()
                  .GetAttemptResult(server_->Context(Admin()).get(), request, &result)
                  .ok());
  EXPECT_TRUE(result.graded_by_server());
  EXPECT_EQ(result.points(), 0);
  // Both count: no attempts left.
  KioskExam third;
  EXPECT_EQ(Lease(member, paper.id(), third).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(KioskExamTest, BadInputGetsExactCodes) {
  const v1::Paper paper = Paper();
  const int64_t member = NewMember();
  v1::LeaseKioskExamRequest lease;
  lease.set_request_id(absl::StrCat("bad-", ++serial_));
  lease.set_paper_id(paper.id());
  lease.set_kiosk_public_key("too short");
  v1::KioskExamLease leased;
  grpc::Status status = server_->assessment().LeaseKioskExam(OnKiosk(member).get(), lease, &leased);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("kiosk_public_key"), std::string::npos);
  // From the member's phone: no kiosk to lease to.
  lease.set_kiosk_public_key(std::string(32, 'k'));
  status = server_->assessment().LeaseKioskExam(server_->Context(MemberToken(member)).get(), lease,
                                                &leased);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A practice quiz is online only.
  const v1::Paper practice = Paper(0, 60, 0, v1::PAPER_KIND_PRACTICE_QUIZ);
  lease.set_paper_id(practice.id());
  status = server_->assessment().LeaseKioskExam(OnKiosk(member).get(), lease, &leased);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  lease.set_paper_id(987654);
  status = server_->assessment().LeaseKioskExam(OnKiosk(member).get(), lease, &leased);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::UploadKioskExamRequest upload;
  upload.set_member_id(member);
  v1::UploadKioskExamResponse response;
  status = Upload(upload, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"lease", "chain", "evidence", "sent_time"}) {
    EXPECT_NE(status.error_message().find(field), std::string::npos) << field;
  }
  // A member cannot upload for a kiosk; a kiosk cannot lease for itself.
  status = server_->assessment().UploadKioskExam(server_->Context(MemberToken(member)).get(),
                                                 upload, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = server_->assessment().LeaseKioskExam(server_->Context(KioskToken(kKioskA)).get(), lease,
                                                &leased);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace lms
