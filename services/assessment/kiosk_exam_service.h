#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"
#include "lms/v1/assessment.pb.h"
#include "services/assessment/attempt_repository.h"
#include "services/assessment/attempt_service.h"
#include "services/assessment/exam_lease_repository.h"
#include "services/assessment/paper_service.h"
#include "services/progress/offline_evidence_checker.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::assessment {

// Numbers equal lms.v1.ExamUploadOutcome and lms.v1.ExamUploadRefusal.
enum class ExamUploadOutcome : int { kUnspecified = 0, kGraded, kAlreadyGraded, kRefused };
enum class ExamRefusal : int {
  kNone = 0,
  kLeaseInvalid,
  kLeaseWrongKiosk,
  kLeaseWrongMember,
  kLeaseUsed,
  kLeaseExpired,
  kChainSignatureInvalid,
  kChainBroken,
  kChainTruncated,
  kChainMalformed,
  kTimeImpossible,
  kOutsideWindow,
  kEvidenceInvalid,
  kEvidenceWeak,
  kEvidenceOutside,
};

// A lease as issued: the signed text and its claims.
struct LeaseGrant {
  std::string text;
  v1::KioskExamLeaseClaims claims;
};

// What the server made of an uploaded exam.
struct ExamUploadVerdict {
  ExamUploadOutcome outcome = ExamUploadOutcome::kUnspecified;
  ExamRefusal refusal = ExamRefusal::kNone;
  std::string detail;
  // Graded (now or before): the result as the uploading kiosk may show it.
  std::optional<ResultView> result;
  int32_t late_answers = 0;
};

// Timed exams on an offline kiosk (README "Offline exams on kiosks"). While online, a
// kiosk leases an attempt for the member signed in on it: drawn and stored like any
// attempt (it counts against the limit; the member holds no other open attempt at the
// paper), its terms signed by the server. Offline, the kiosk seals each answer into a
// hash chain with the key it named in the lease. The upload is graded only if the lease
// is this server's, for this kiosk and member, unused and unexpired; the chain whole,
// signed by that key and ending in FINISH; its times possible (no more time than passed
// between lease and upload; started within the window); and the member identified by a
// ticket or phone covering the start. Only answers within the time limit plus grace (and
// the window) count. A lease never uploaded is graded as abandoned at its upload
// deadline. Thread-safe.
class KioskExamService {
 public:
  KioskExamService(db::ConnectionPool& pool, const Clock& clock, const PaperService& papers,
                   const AttemptService& attempt_service, const AttemptRepository& attempts,
                   const AttemptGrader& grader, std::string token_public_key,
                   std::string token_secret_key, progress::ProgressRulesSource& rules,
                   const progress::OfflineEvidenceChecker& evidence,
                   const progress::OfflineRepository& offline)
      : pool_(pool),
        clock_(clock),
        papers_(papers),
        attempt_service_(attempt_service),
        attempts_(attempts),
        grader_(grader),
        public_key_(std::move(token_public_key)),
        secret_key_(std::move(token_secret_key)),
        rules_(rules),
        evidence_(evidence),
        offline_(offline) {}

  // For the member of a kiosk member session; `kiosk_public_key` raw Ed25519 bytes.
  [[nodiscard]] absl::StatusOr<LeaseGrant> Lease(const call::CallContext& call, int64_t paper_id,
                                                 const std::string& kiosk_public_key) const;
  // For the kiosk's own session. Refusals are verdicts (and recorded); only bad input and
  // trouble are errors.
  [[nodiscard]] absl::StatusOr<ExamUploadVerdict> Upload(
      const call::CallContext& call, const v1::UploadKioskExamRequest& request) const;

 private:
  struct Judgement;
  // The upload against the stored lease and attempt, in the write's transaction.
  absl::StatusOr<ExamUploadVerdict> Judge(db::Transaction& tx, const call::CallContext& call,
                                          const Judgement& judgement) const;
  // Grades the chain's answers (after every check passed).
  absl::StatusOr<ExamUploadVerdict> GradeChain(db::Transaction& tx, const call::CallContext& call,
                                               const Judgement& judgement, const Paper& paper,
                                               Attempt& attempt, Standing& standing,
                                               ExamLease& lease, absl::Time exam_start,
                                               int64_t evidence_id) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PaperService& papers_;
  const AttemptService& attempt_service_;
  const AttemptRepository& attempts_;
  const AttemptGrader& grader_;
  const std::string public_key_;
  const std::string secret_key_;
  progress::ProgressRulesSource& rules_;
  const progress::OfflineEvidenceChecker& evidence_;
  const progress::OfflineRepository& offline_;
  const ExamLeaseRepository leases_{};
  const settings::SettingsReader settings_{};
};

}  // namespace lms::assessment
