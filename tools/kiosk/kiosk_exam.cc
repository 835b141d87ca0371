#include "tools/kiosk/kiosk_exam.h"

#include <sodium.h>
#include <time.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth/exam_chain.h"
#include "common/auth/exam_lease.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tools/kiosk/exam_store.h"
#include "tools/kiosk/kiosk_session.h"

namespace lms::kiosk {
namespace {

std::string ChinaTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, absl::FixedTimeZone(8 * 3600));
}

std::string Minutes(int64_t ms) {
  return absl::StrFormat("%d:%02d", ms / 60'000, (ms / 1000) % 60);
}

// The monotonic clock, counting suspend too: a kiosk put to sleep mid-exam does not stop
// the exam's time.
int64_t BootClockMs() {
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1'000'000;
}

// Changes at every boot: the monotonic clock starts again from zero then.
std::string BootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// The exam's elapsed time now, by the monotonic clock. After a reboot the clock restarted:
// the wall-clock gap since the last seal is added (never less than nothing) and the exam
// goes on from there. A kiosk cannot win time this way: the server bounds the whole chain
// by the time that passed between the lease and the upload.
int64_t ElapsedMs(StoredExam& exam) {
  const std::string boot = BootId();
  if (boot == exam.boot_id) {
    return std::max(exam.last_elapsed_ms, BootClockMs() - exam.start_boot_ms);
  }
  const int64_t gap = std::max<int64_t>(0, absl::ToInt64Milliseconds(absl::Now() - exam.last_wall));
  const int64_t elapsed = exam.last_elapsed_ms + gap;
  exam.boot_id = boot;
  exam.start_boot_ms = BootClockMs() - elapsed;
  return elapsed;
}

const char* StateName(ExamState state) {
  switch (state) {
    case ExamState::kLeased:
      return "leased, not started";
    case ExamState::kRunning:
      return "running";
    case ExamState::kFinished:
      return "finished, waiting to upload";
    case ExamState::kUploaded:
      return "uploaded";
    case ExamState::kRefused:
      return "refused";
  }
  return "?";
}

struct OpenExam {
  StoredExam stored;
  v1::KioskExamLeaseClaims claims;
  KnownMember member;
};

// The member's exam at the paper in this store, with its lease read; FAILED_PRECONDITION
// unless it is in the `expected` state.
absl::StatusOr<OpenExam> FindExam(KioskStore& store, ExamStore& exams, const std::string& number,
                                  int64_t paper_id, ExamState expected) {
  absl::StatusOr<std::optional<KnownMember>> member = store.MemberByNumber(number);
  if (!member.ok()) return member.status();
  if (!member->has_value()) {
    return absl::NotFoundError(absl::StrCat("member ", number, " has not identified here"));
  }
  absl::StatusOr<std::optional<StoredExam>> exam = exams.Latest((*member)->member_id, paper_id);
  if (!exam.ok()) return exam.status();
  if (!exam->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no exam of paper ", paper_id, " leased here for member ", number));
  }
  if ((*exam)->state != expected) {
    return absl::FailedPreconditionError(absl::StrCat("the exam is ", StateName((*exam)->state)));
  }
  std::optional<v1::KioskExamLeaseClaims> claims = auth::PeekExamLease((*exam)->lease);
  if (!claims.has_value()) return absl::DataLossError("the stored lease cannot be read");
  return OpenExam{**exam, *std::move(claims), **std::move(member)};
}

// Milliseconds after START that answers count for: the time limit plus grace, and never
// past the lease's window (as the server counts them).
int64_t CountsForMs(const OpenExam& exam) {
  const v1::KioskExamLeaseClaims& claims = exam.claims;
  const absl::Time started =
      exam.stored.last_wall - absl::Milliseconds(exam.stored.last_elapsed_ms);
  int64_t counts_for =
      absl::ToInt64Milliseconds(grpc_util::TimeFromProto(claims.window_end()) - started);
  if (claims.time_limit_seconds() > 0) {
    counts_for = std::min(counts_for,
                          (int64_t{claims.time_limit_seconds()} + claims.grace_seconds()) * 1000);
  }
  return counts_for;
}

// Seals the next link of `exam` and stores it with the exam's new state, in one
// transaction: once this returns OK the link survives a crash.
absl::Status Seal(ExamStore& exams, OpenExam& exam, v1::ExamSealKind kind, int64_t elapsed_ms,
                  const v1::Answer* answer) {
  absl::StatusOr<std::vector<v1::SealedExamEntry>> links = exams.Links(exam.stored.attempt_id);
  if (!links.ok()) return links.status();
  const absl::Time now = absl::Now();
  v1::ExamSeal seal;
  seal.set_attempt_id(exam.stored.attempt_id);
  seal.set_sequence(static_cast<int32_t>(links->size()) + 1);
  seal.set_kind(kind);
  seal.set_elapsed_ms(elapsed_ms);
  grpc_util::SetTimestamp(now, seal.mutable_kiosk_time());
  if (answer != nullptr) *seal.mutable_answer() = *answer;
  seal.set_previous_digest(links->empty() ? auth::ExamDigest(exam.stored.lease)
                                          : auth::ExamDigest(links->back().seal()));
  exam.stored.links = static_cast<int32_t>(links->size());
  exam.stored.last_elapsed_ms = elapsed_ms;
  exam.stored.last_wall = now;
  if (kind == v1::EXAM_SEAL_KIND_FINISH) exam.stored.state = ExamState::kFinished;
  return exams.Append(exam.stored, auth::SealExamLink(seal, exam.stored.secret_key));
}

void PrintQuestions(const v1::KioskExamLeaseClaims& claims) {
  for (const v1::AttemptQuestion& question : claims.questions()) {
    std::cout << "  " << question.index() << ". [" << question.points() << "] " << question.stem()
              << "\n";
    for (const v1::QuestionOption& option : question.options()) {
      std::cout << "       (" << option.id() << ") " << option.text() << "\n";
    }
    if (question.type() == v1::QUESTION_TYPE_TRUE_FALSE) std::cout << "       true / false\n";
    if (question.blank_count() > 0) {
      std::cout << "       " << question.blank_count() << " blank(s)\n";
    }
  }
}

}  // namespace

int LeaseExam(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
              const std::string& number, const std::string& pin, int64_t paper_id) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  auto identity = v1::IdentityService::NewStub(channel);
  MemberAtKiosk at;
  if (const int failed = SignInMember(store, *identity, number, pin, at); failed != 0) {
    return failed;
  }
  const int64_t member_id = at.member.member_id;
  // A lost reply is retried with the same request id, and the server answers the same
  // lease: the id counts this member's leases of the paper here.
  absl::StatusOr<int64_t> leased_before = exams->Count(member_id, paper_id);
  if (!leased_before.ok()) return Fail("store", leased_before.status());
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(public_key, secret_key);
  v1::LeaseKioskExamRequest request;
  request.set_request_id(absl::StrCat("lease-", store.Setting("device_id").value_or("kiosk"), "-",
                                      member_id, "-", paper_id, "-", *leased_before + 1));
  request.set_paper_id(paper_id);
  request.set_kiosk_public_key(reinterpret_cast<const char*>(public_key), sizeof(public_key));
  v1::KioskExamLease lease;
  const grpc::Status status = v1::AssessmentService::NewStub(channel)->LeaseKioskExam(
      Context(at.session.access_token(), at.kiosk_token).get(), request, &lease);
  if (!status.ok()) return Fail("lease", status);
  const v1::KioskExamLeaseClaims& claims = lease.claims();
  if (claims.member_id() != member_id || claims.kiosk_public_key() != request.kiosk_public_key()) {
    std::cerr << "lease: the server's lease names another member or key\n";
    return 1;
  }
  StoredExam exam;
  exam.attempt_id = claims.attempt_id();
  exam.member_id = member_id;
  exam.paper_id = paper_id;
  exam.lease = lease.lease();
  exam.secret_key.assign(reinterpret_cast<const char*>(secret_key), sizeof(secret_key));
  sodium_memzero(secret_key, sizeof(secret_key));
  if (absl::Status saved = exams->Insert(exam); !saved.ok()) return Fail("store", saved);
  std::cout << "exam leased for " << at.member.name << ": " << claims.paper_title() << " (attempt "
            << claims.number() << "), " << claims.questions_size() << " questions, "
            << (claims.time_limit_seconds() > 0
                    ? absl::StrCat(claims.time_limit_seconds() / 60, " min + ",
                                   claims.grace_seconds(), " s grace")
                    : std::string("untimed"))
            << "; take it by " << ChinaTime(grpc_util::TimeFromProto(claims.window_end()))
            << ", upload by " << ChinaTime(grpc_util::TimeFromProto(claims.upload_due())) << "\n";
  return 0;
}

int StartExam(KioskStore& store, const std::string& number, int64_t paper_id) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  absl::StatusOr<OpenExam> exam = FindExam(store, *exams, number, paper_id, ExamState::kLeased);
  if (!exam.ok()) return Fail("exam", exam.status());
  const absl::Time now = absl::Now();
  if (now > grpc_util::TimeFromProto(exam->claims.window_end())) {
    std::cerr << "exam: the lease's window ended at "
              << ChinaTime(grpc_util::TimeFromProto(exam->claims.window_end())) << "\n";
    return 1;
  }
  // An exam's result is a credential: the member must be identified strongly here, by the
  // ticket of an online sign-in or a phone's code, still valid now.
  const KnownMember& member = exam->member;
  if (member.ticket.empty() || now > member.ticket_expires) {
    std::cerr << "exam: member " << number
              << " must identify first (sign in online with the PIN, or show the phone's code)\n";
    return 1;
  }
  exam->stored.evidence = member.ticket;
  exam->stored.state = ExamState::kRunning;
  exam->stored.boot_id = BootId();
  exam->stored.start_boot_ms = BootClockMs();
  if (absl::Status sealed = Seal(*exams, *exam, v1::EXAM_SEAL_KIND_START, 0, nullptr);
      !sealed.ok()) {
    return Fail("store", sealed);
  }
  std::cout << exam->claims.paper_title() << ": started; "
            << (exam->claims.time_limit_seconds() > 0
                    ? absl::StrCat(exam->claims.time_limit_seconds() / 60, " minutes")
                    : std::string("untimed"))
            << "\n";
  PrintQuestions(exam->claims);
  return 0;
}

int AnswerExam(KioskStore& store, const std::string& number, int64_t paper_id,
               const GivenAnswer& given) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  absl::StatusOr<OpenExam> exam = FindExam(store, *exams, number, paper_id, ExamState::kRunning);
  if (!exam.ok()) return Fail("exam", exam.status());
  const int64_t elapsed = ElapsedMs(exam->stored);
  if (elapsed > CountsForMs(*exam)) {
    if (absl::Status sealed = Seal(*exams, *exam, v1::EXAM_SEAL_KIND_FINISH, elapsed, nullptr);
        !sealed.ok()) {
      return Fail("store", sealed);
    }
    std::cerr << "exam: time is up (" << Minutes(elapsed)
              << "): the exam is closed and waits to upload; this answer was not taken\n";
    return 3;
  }
  if (given.question < 1 || given.question > exam->claims.questions_size()) {
    std::cerr << "exam: questions are numbered 1 to " << exam->claims.questions_size() << "\n";
    return 1;
  }
  const v1::AttemptQuestion& question = exam->claims.questions(given.question - 1);
  v1::Answer answer;
  answer.set_question_id(question.question_id());
  for (const int32_t id : given.option_ids) {
    const bool offered = std::any_of(question.options().begin(), question.options().end(),
                                     [&](const v1::QuestionOption& o) { return o.id() == id; });
    if (!offered) {
      std::cerr << "exam: question " << given.question << " has no option " << id << "\n";
      return 1;
    }
    answer.add_option_ids(id);
  }
  if (given.truth == "true") answer.set_truth(v1::TRUTH_TRUE);
  if (given.truth == "false") answer.set_truth(v1::TRUTH_FALSE);
  for (const std::string& blank : given.blanks) answer.add_blanks(blank);
  if (absl::Status sealed = Seal(*exams, *exam, v1::EXAM_SEAL_KIND_ANSWER, elapsed, &answer);
      !sealed.ok()) {
    return Fail("store", sealed);
  }
  std::cout << "question " << given.question << " answered at " << Minutes(elapsed)
            << " (sealed, link " << exam->stored.links + 1 << ")";
  if (exam->claims.time_limit_seconds() > 0) {
    std::cout << "; "
              << Minutes(std::max<int64_t>(
                     0, int64_t{exam->claims.time_limit_seconds()} * 1000 - elapsed))
              << " left";
  }
  std::cout << "\n";
  return 0;
}

int SubmitExam(KioskStore& store, const std::string& number, int64_t paper_id) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  absl::StatusOr<OpenExam> exam = FindExam(store, *exams, number, paper_id, ExamState::kRunning);
  if (!exam.ok()) return Fail("exam", exam.status());
  const int64_t elapsed = ElapsedMs(exam->stored);
  if (absl::Status sealed = Seal(*exams, *exam, v1::EXAM_SEAL_KIND_FINISH, elapsed, nullptr);
      !sealed.ok()) {
    return Fail("store", sealed);
  }
  std::cout << "submitted after " << Minutes(elapsed) << "; the result comes with the next sync\n";
  return 0;
}

int ExamStatus(KioskStore& store) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  absl::StatusOr<std::vector<StoredExam>> all = exams->All();
  if (!all.ok()) return Fail("store", all.status());
  for (const StoredExam& exam : *all) {
    std::cout << "exam attempt " << exam.attempt_id << " (paper " << exam.paper_id << ", member "
              << exam.member_id << "): " << StateName(exam.state) << ", " << exam.links
              << " sealed links";
    if (!exam.outcome.empty()) std::cout << "; " << exam.outcome;
    std::cout << "\n";
  }
  return 0;
}

int UploadExams(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                const std::string& kiosk_token) {
  absl::StatusOr<ExamStore> exams = ExamStore::Open(store);
  if (!exams.ok()) return Fail("store", exams.status());
  absl::StatusOr<std::vector<StoredExam>> all = exams->All();
  if (!all.ok()) return Fail("store", all.status());
  auto assessment = v1::AssessmentService::NewStub(channel);
  int failed = 0;
  for (const StoredExam& stored : *all) {
    if (stored.state != ExamState::kRunning && stored.state != ExamState::kFinished) continue;
    OpenExam exam{stored, auth::PeekExamLease(stored.lease).value_or(v1::KioskExamLeaseClaims()),
                  KnownMember{}};
    if (exam.stored.state == ExamState::kRunning) {
      // Left running: closed once its time is up, else it waits for the member.
      const int64_t elapsed = ElapsedMs(exam.stored);
      if (elapsed <= CountsForMs(exam)) continue;
      if (absl::Status sealed = Seal(*exams, exam, v1::EXAM_SEAL_KIND_FINISH, elapsed, nullptr);
          !sealed.ok()) {
        return Fail("store", sealed);
      }
    }
    absl::StatusOr<std::vector<v1::SealedExamEntry>> links = exams->Links(stored.attempt_id);
    if (!links.ok()) return Fail("store", links.status());
    v1::UploadKioskExamRequest request;
    request.set_member_id(stored.member_id);
    request.set_lease(stored.lease);
    for (v1::SealedExamEntry& link : *links) *request.add_chain() = std::move(link);
    if (stored.evidence.rfind("pi1.", 0) == 0) {
      request.mutable_evidence()->set_phone_identification(stored.evidence);
    } else {
      request.mutable_evidence()->set_kiosk_ticket(stored.evidence);
    }
    grpc_util::SetTimestamp(absl::Now(), request.mutable_sent_time());
    v1::UploadKioskExamResponse response;
    const grpc::Status status =
        assessment->UploadKioskExam(Context(kiosk_token).get(), request, &response);
    if (!status.ok()) {
      failed = Fail(absl::StrCat("exam ", stored.attempt_id, " (kept for the next try)"), status);
      continue;
    }
    std::string outcome;
    ExamState state = ExamState::kUploaded;
    if (response.outcome() == v1::EXAM_UPLOAD_OUTCOME_REFUSED) {
      state = ExamState::kRefused;
      outcome = absl::StrCat(v1::ExamUploadRefusal_Name(response.refusal()).substr(20), ": ",
                             response.detail());
    } else {
      const v1::AttemptResult& result = response.result();
      outcome = absl::StrCat(result.points(), "/", result.total_points(), " points, ",
                             result.passed() ? "passed" : "not passed");
      if (response.late_answers() > 0) {
        absl::StrAppend(&outcome, "; ", response.late_answers(), " late answers not counted");
      }
    }
    std::cout << "exam " << stored.attempt_id << ": " << outcome << "\n";
    if (absl::Status saved = exams->SetOutcome(stored.attempt_id, state, outcome); !saved.ok()) {
      return Fail("store", saved);
    }
  }
  return failed;
}

}  // namespace lms::kiosk
