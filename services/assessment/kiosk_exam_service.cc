#include "services/assessment/kiosk_exam_service.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth/exam_chain.h"
#include "common/auth/exam_lease.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/grpc/proto_time.h"
#include "common/log/log.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/assessment/answer_checks.h"
#include "services/assessment/assessment_mapping.h"
#include "services/progress/progress_mapping.h"

namespace lms::assessment {
namespace {

constexpr char kLeaseHoursSetting[] = "assessment.lease_hours";
constexpr char kUploadHoursSetting[] = "assessment.lease_upload_hours";
constexpr int kMinChainLinks = 2;  // START and FINISH
constexpr int kMaxChainLinks = 1000;

ExamUploadVerdict Refused(ExamRefusal refusal, std::string detail) {
  ExamUploadVerdict verdict;
  verdict.outcome = ExamUploadOutcome::kRefused;
  verdict.refusal = refusal;
  verdict.detail = std::move(detail);
  return verdict;
}

ExamRefusal FromChainFault(auth::ChainFault fault) {
  switch (fault) {
    case auth::ChainFault::kSignature:
      return ExamRefusal::kChainSignatureInvalid;
    case auth::ChainFault::kBroken:
      return ExamRefusal::kChainBroken;
    case auth::ChainFault::kTruncated:
      return ExamRefusal::kChainTruncated;
    case auth::ChainFault::kMalformed:
      return ExamRefusal::kChainMalformed;
    case auth::ChainFault::kNone:
      break;
  }
  return ExamRefusal::kNone;
}

absl::Status CheckUpload(const v1::UploadKioskExamRequest& request) {
  status::FieldErrors errors;
  if (request.member_id() <= 0) errors.Add("member_id", "must be a positive id");
  if (request.lease().empty())
    errors.Add("lease", "is required: the el1. text LeaseKioskExam gave");
  if (request.chain_size() < kMinChainLinks || request.chain_size() > kMaxChainLinks) {
    errors.Add("chain", absl::StrCat("must hold ", kMinChainLinks, " to ", kMaxChainLinks,
                                     " links: START, the answers, FINISH"));
  }
  if (request.evidence().kind_case() == v1::OfflineEvidence::KIND_NOT_SET) {
    errors.Add("evidence", "is required: the member's kiosk ticket or phone identification");
  }
  if (!request.has_sent_time()) errors.Add("sent_time", "is required: the kiosk's clock now");
  return errors.ToStatus();
}

}  // namespace

// One upload as the transaction judges it.
struct KioskExamService::Judgement {
  const v1::UploadKioskExamRequest& request;
  const v1::KioskExamLeaseClaims& claims;
  const auth::VerifiedChain& chain;
  const progress::UploadedEvidence& evidence;
  const progress::ProgressRules& rules;
  absl::Time received;
};

absl::StatusOr<LeaseGrant> KioskExamService::Lease(const call::CallContext& call, int64_t paper_id,
                                                   const std::string& kiosk_public_key) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  status::FieldErrors errors;
  if (paper_id <= 0) errors.Add("paper_id", "must be a positive id");
  if (kiosk_public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    errors.Add("kiosk_public_key", absl::StrCat("must be the raw ", crypto_sign_PUBLICKEYBYTES,
                                                "-byte Ed25519 public key"));
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (call.caller.kiosk_id == 0) {
    return absl::PermissionDeniedError(
        "an exam is leased to a kiosk: the member signs in on the kiosk (KioskMemberSignIn)");
  }
  const int64_t member_id = call.caller.member_id;
  const auto load = [&](db::Transaction& tx, int64_t attempt_id) -> absl::StatusOr<LeaseGrant> {
    ASSIGN_OR_RETURN(const std::optional<ExamLease> lease, leases_.Find(tx, attempt_id));
    std::optional<v1::KioskExamLeaseClaims> claims;
    if (lease.has_value()) claims = auth::PeekExamLease(lease->lease_text);
    if (!claims.has_value()) return absl::InternalError("a stored lease cannot be read");
    return LeaseGrant{lease->lease_text, *std::move(claims)};
  };
  return call::RunIdempotentWrite<LeaseGrant>(
      pool_, call, now,
      [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, paper_id));
        if (paper.state == PaperState::kDraft) {
          return absl::NotFoundError(absl::StrCat("paper ", paper_id, " not found"));
        }
        if (paper.practice()) {
          return absl::FailedPreconditionError(
              "a practice quiz is taken online: its instant feedback needs the server");
        }
        ASSIGN_OR_RETURN(Standing standing, attempts_.LockStanding(tx, paper_id, member_id));
        ASSIGN_OR_RETURN(const std::optional<Attempt> open,
                         attempt_service_.SettleOpen(tx, paper, standing, now));
        if (open.has_value()) {
          return absl::FailedPreconditionError(
              open->leased
                  ? absl::StrCat("attempt ", open->number, " is already leased to kiosk ",
                                 open->kiosk_id, " (upload due ", FormatChinaTime(open->deadline),
                                 ")")
                  : absl::StrCat("attempt ", open->number,
                                 " is open online: submit it before leasing an offline exam"));
        }
        RETURN_IF_ERROR(attempt_service_.CheckStartable(tx, paper, standing, now));
        const absl::CivilDay today = TodayInChina(now);
        ASSIGN_OR_RETURN(const settings::EffectiveSetting lease_hours,
                         settings_.Get(tx, kLeaseHoursSetting, paper.organization_id, today));
        ASSIGN_OR_RETURN(const settings::EffectiveSetting upload_hours,
                         settings_.Get(tx, kUploadHoursSetting, paper.organization_id, today));
        ExamLease lease;
        lease.issue_time = now;
        lease.window_end = now + absl::Hours(lease_hours.value);
        if (paper.settings.close_time != absl::InfinitePast()) {
          lease.window_end = std::min(lease.window_end, paper.settings.close_time);
        }
        lease.upload_due = lease.window_end + absl::Hours(upload_hours.value);
        ASSIGN_OR_RETURN(const Attempt attempt,
                         attempt_service_.Draw(tx, call, paper, standing, now, lease.upload_due));
        lease.attempt_id = attempt.id;
        lease.kiosk_id = call.caller.kiosk_id;
        lease.member_id = member_id;
        lease.kiosk_public_key = kiosk_public_key;
        if (paper.settings.time_limit_seconds > 0) {
          lease.time_limit_seconds = paper.settings.time_limit_seconds + standing.extra_seconds;
        }
        lease.grace_seconds = paper.settings.grace_seconds;

        v1::KioskExamLeaseClaims claims;
        claims.set_attempt_id(attempt.id);
        claims.set_paper_id(paper.id);
        claims.set_paper_version(paper.version);
        claims.set_paper_title(paper.settings.title);
        claims.set_member_id(member_id);
        claims.set_number(attempt.number);
        claims.set_kiosk_id(lease.kiosk_id);
        claims.set_kiosk_public_key(kiosk_public_key);
        grpc_util::SetTimestamp(lease.issue_time, claims.mutable_issue_time());
        grpc_util::SetTimestamp(lease.window_end, claims.mutable_window_end());
        grpc_util::SetTimestamp(lease.upload_due, claims.mutable_upload_due());
        claims.set_time_limit_seconds(lease.time_limit_seconds);
        claims.set_grace_seconds(lease.grace_seconds);
        v1::Attempt shown;  // as StartAttempt shows it: no keys
        ToProto(attempt, now, &shown);
        claims.mutable_questions()->Swap(shown.mutable_questions());
        claims.set_total_points(attempt.total_points);
        claims.set_pass_points(attempt.pass_points);
        lease.lease_text = auth::SealExamLease(claims, secret_key_);
        RETURN_IF_ERROR(leases_.Insert(tx, lease));
        return attempt.id;
      },
      load, load);
}

absl::StatusOr<ExamUploadVerdict> KioskExamService::Upload(
    const call::CallContext& call, const v1::UploadKioskExamRequest& request) const {
  const absl::Time received = clock_.Now();
  RETURN_IF_ERROR(CheckUpload(request));
  const int64_t kiosk_id = call.caller.kiosk_id;
  const std::optional<v1::KioskExamLeaseClaims> claims =
      auth::OpenExamLease(request.lease(), public_key_);
  ExamUploadVerdict verdict;
  if (!claims.has_value()) {
    verdict = Refused(ExamRefusal::kLeaseInvalid,
                      "the lease is not one this server signed: forged, altered or cut");
  } else if (claims->kiosk_id() != kiosk_id) {
    verdict = Refused(ExamRefusal::kLeaseWrongKiosk,
                      absl::StrCat("the lease was issued to kiosk ", claims->kiosk_id()));
  } else if (claims->member_id() != request.member_id()) {
    verdict = Refused(ExamRefusal::kLeaseWrongMember,
                      absl::StrCat("the lease is member ", claims->member_id(), "'s"));
  } else {
    // Signatures are checked outside the transaction: pure work, no locks held.
    const auth::VerifiedChain chain = auth::VerifyExamChain(
        request.lease(), claims->attempt_id(), claims->kiosk_public_key(), request.chain());
    ASSIGN_OR_RETURN(const progress::ProgressRules rules,
                     rules_.RulesOn(TodayInChina(received), call.deadline));
    const progress::UploadedEvidence evidence = progress::EvidenceFromProto(request.evidence());
    const Judgement judgement{request, *claims, chain, evidence, rules, received};
    ASSIGN_OR_RETURN(
        verdict, call::RunWrite<ExamUploadVerdict>(
                     pool_, call, [&](db::Transaction& tx) { return Judge(tx, call, judgement); }));
  }
  if (verdict.outcome == ExamUploadOutcome::kRefused) {
    // Kept for inspection: a tampered kiosk shows here. A failure to record it does not
    // change the answer the kiosk gets.
    const int64_t attempt_id = claims.has_value() ? claims->attempt_id() : 0;
    const absl::Status recorded =
        db::RunTransaction(pool_, call.deadline, [&](db::Transaction& tx) {
          return leases_.RecordRefusal(tx, kiosk_id, request.member_id(), attempt_id,
                                       static_cast<int>(verdict.refusal), verdict.detail, received);
        });
    log::Warn("exam_upload_refused", {{"kiosk_id", kiosk_id},
                                      {"member_id", request.member_id()},
                                      {"attempt_id", attempt_id},
                                      {"refusal", static_cast<int>(verdict.refusal)},
                                      {"detail", verdict.detail}});
    if (!recorded.ok()) log::Warn("exam_refusal_not_recorded", {{"error", recorded.ToString()}});
  }
  return verdict;
}

absl::StatusOr<ExamUploadVerdict> KioskExamService::Judge(db::Transaction& tx,
                                                          const call::CallContext& call,
                                                          const Judgement& judgement) const {
  const v1::KioskExamLeaseClaims& claims = judgement.claims;
  const absl::Time received = judgement.received;
  const absl::Duration skew = judgement.rules.clock_skew;
  ASSIGN_OR_RETURN(auto locked, attempt_service_.LockForChange(tx, claims.attempt_id()));
  Attempt& attempt = locked.first;
  Standing& standing = locked.second;
  ASSIGN_OR_RETURN(std::optional<ExamLease> stored, leases_.Find(tx, claims.attempt_id()));
  if (!stored.has_value() || stored->lease_text != judgement.request.lease()) {
    return Refused(ExamRefusal::kLeaseInvalid,
                   absl::StrCat("attempt ", claims.attempt_id(), " has no such lease"));
  }
  ExamLease& lease = *stored;
  ASSIGN_OR_RETURN(const Paper paper, papers_.Load(tx, attempt.paper_id));
  const auth::VerifiedChain& chain = judgement.chain;

  if (lease.status == LeaseStatus::kUploaded) {
    if (chain.fault == auth::ChainFault::kNone && chain.last_digest == lease.chain_digest) {
      ExamUploadVerdict verdict;
      verdict.outcome = ExamUploadOutcome::kAlreadyGraded;
      verdict.late_answers = lease.late_answers;
      verdict.result = attempt_service_.View(call, paper, std::move(attempt), received);
      return verdict;
    }
    return Refused(ExamRefusal::kLeaseUsed,
                   absl::StrCat("attempt ", attempt.number, " was graded from another chain",
                                " uploaded at ", FormatChinaTime(lease.upload_time)));
  }
  if (lease.status == LeaseStatus::kExpired || received > lease.upload_due) {
    // Abandoned: graded as such now if the overdue grader has not yet.
    ASSIGN_OR_RETURN(const std::optional<Attempt> open,
                     attempt_service_.SettleOpen(tx, paper, standing, received));
    (void)open;
    return Refused(ExamRefusal::kLeaseExpired,
                   absl::StrCat("the upload was due by ", FormatChinaTime(lease.upload_due),
                                ": the exam was graded as abandoned"));
  }
  if (chain.fault != auth::ChainFault::kNone) {
    return Refused(FromChainFault(chain.fault), chain.detail);
  }

  // Times. Only the server's clock is trusted: the chain cannot span more time than passed
  // between the lease and this upload. The kiosk's wall clock, corrected by how far it
  // was off when sending, dates the start within the lease's window.
  const absl::Duration spanned = absl::Milliseconds(chain.links.back().elapsed_ms());
  const absl::Duration possible = received - lease.issue_time;
  if (spanned > possible + skew) {
    return Refused(
        ExamRefusal::kTimeImpossible,
        absl::StrCat("the chain spans ", absl::FormatDuration(spanned), " but only ",
                     absl::FormatDuration(possible), " passed between the lease and this upload"));
  }
  const absl::Duration correction =
      received - grpc_util::TimeFromProto(judgement.request.sent_time());
  absl::Time exam_start = grpc_util::TimeFromProto(chain.links.front().kiosk_time()) + correction;
  if (exam_start < lease.issue_time - skew || exam_start > lease.window_end + skew) {
    return Refused(
        ExamRefusal::kOutsideWindow,
        absl::StrCat("the exam started at ", FormatChinaTime(exam_start),
                     " (kiosk clock corrected), outside the lease's window ",
                     FormatChinaTime(lease.issue_time), " to ", FormatChinaTime(lease.window_end)));
  }
  // Within the slack, kept inside what is certain.
  exam_start =
      std::clamp(exam_start, lease.issue_time, std::max(lease.issue_time, received - spanned));

  // Who took it: strong evidence only. An exam's result is a credential; the kiosk's word
  // alone cannot make one, and confirming it afterwards would prove nothing.
  ASSIGN_OR_RETURN(const progress::CheckedEvidence evidence,
                   evidence_.Check(tx, judgement.evidence, lease.kiosk_id, lease.member_id,
                                   received, judgement.rules));
  if (evidence.rejection != progress::EventRejection::kNone) {
    return Refused(ExamRefusal::kEvidenceInvalid, evidence.detail);
  }
  if (evidence.kind == progress::EvidenceKind::kKioskClaim) {
    return Refused(ExamRefusal::kEvidenceWeak,
                   "the kiosk's claim alone cannot vouch for an exam: the member's kiosk ticket"
                   " or phone identification is needed");
  }
  if (evidence.ForEvent(exam_start, skew) != progress::PendingReason::kNone) {
    return Refused(ExamRefusal::kEvidenceOutside,
                   absl::StrCat("the identification does not cover the exam's start at ",
                                FormatChinaTime(exam_start)));
  }
  ASSIGN_OR_RETURN(const int64_t evidence_id,
                   offline_.SaveEvidence(tx, lease.kiosk_id, lease.member_id, evidence, received));
  return GradeChain(tx, call, judgement, paper, attempt, standing, lease, exam_start, evidence_id);
}

absl::StatusOr<ExamUploadVerdict> KioskExamService::GradeChain(
    db::Transaction& tx, const call::CallContext& call, const Judgement& judgement,
    const Paper& paper, Attempt& attempt, Standing& standing, ExamLease& lease,
    absl::Time exam_start, int64_t evidence_id) const {
  const absl::Time received = judgement.received;
  // An answer counts if given within the time limit plus grace and before the window's
  // end (with the clock allowance), by the chain's own elapsed times.
  absl::Duration counts_until = lease.window_end + judgement.rules.clock_skew - exam_start;
  if (lease.time_limit_seconds > 0) {
    counts_until = std::min(counts_until,
                            absl::Seconds(int64_t{lease.time_limit_seconds} + lease.grace_seconds));
  }
  std::map<int64_t, AttemptQuestion*> by_id;
  for (AttemptQuestion& question : attempt.questions) by_id[question.question_id] = &question;
  std::set<AttemptQuestion*> changed;
  int32_t late = 0;
  const std::vector<v1::ExamSeal>& links = judgement.chain.links;
  for (size_t i = 0; i < links.size(); ++i) {
    if (links[i].kind() != v1::EXAM_SEAL_KIND_ANSWER) continue;
    const v1::Answer& given = links[i].answer();
    const auto found = by_id.find(given.question_id());
    if (found == by_id.end()) {
      return Refused(ExamRefusal::kChainMalformed,
                     absl::StrCat("link ", i + 1, " answers question ", given.question_id(),
                                  ", which the lease did not draw"));
    }
    const Answer answer = AnswerFromProto(given);
    if (std::optional<std::string> problem = AnswerProblem(*found->second, answer)) {
      return Refused(ExamRefusal::kChainMalformed, absl::StrCat("link ", i + 1, ": ", *problem));
    }
    if (absl::Milliseconds(links[i].elapsed_ms()) > counts_until) {
      ++late;
      continue;
    }
    found->second->answer = answer.empty() ? std::nullopt : std::optional<Answer>(answer);
    changed.insert(found->second);
  }
  if (!changed.empty()) {
    RETURN_IF_ERROR(attempts_.SaveAnswers(
        tx, attempt.id, std::vector<const AttemptQuestion*>(changed.begin(), changed.end())));
  }
  const absl::Duration spanned = absl::Milliseconds(links.back().elapsed_ms());
  attempt.start_time = exam_start;
  attempt.late_answers_refused = late > 0;
  RETURN_IF_ERROR(grader_.Grade(tx, paper, attempt, standing,
                                std::min(exam_start + spanned, received), false, received));
  lease.status = LeaseStatus::kUploaded;
  lease.chain_digest = judgement.chain.last_digest;
  lease.exam_start_time = exam_start;
  lease.upload_time = received;
  lease.evidence_id = evidence_id;
  lease.late_answers = late;
  RETURN_IF_ERROR(leases_.SaveUpload(tx, lease, judgement.request.SerializeAsString()));
  ExamUploadVerdict verdict;
  verdict.outcome = ExamUploadOutcome::kGraded;
  verdict.late_answers = late;
  verdict.result = attempt_service_.View(call, paper, std::move(attempt), received);
  return verdict;
}

}  // namespace lms::assessment
