#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/scope_checker.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/enrollment/member_directory.h"
#include "services/progress/offline_evidence_checker.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_recorder.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// What a kiosk recorded for one member under one piece of evidence
// (lms.v1.MemberUpload).
struct MemberUpload {
  int64_t member_id = 0;  // 0: by member_number
  std::string member_number;
  UploadedEvidence evidence;
  std::vector<ProgressEvent> events;
};

// What became of one upload (lms.v1.MemberSyncResult).
struct MemberSyncOutcome {
  int64_t member_id = 0;
  RecordOutcome outcome;  // results in the upload's order
  int64_t checkpoint = 0;
};

// A kiosk's upload for several members (SyncKioskProgress; README "Offline study: the
// trust model"). In one transaction: each member must be one the kiosk serves; each
// upload's evidence is checked; each event is checked alone and then, by its evidence,
// recorded (exactly as RecordProgress would), kept pending for confirmation, or
// rejected. Retries and replays answer as the first time. Thread-safe.
class KioskSync {
 public:
  KioskSync(db::ConnectionPool& pool, const Clock& clock, ProgressRulesSource& rules,
            const ProgressRepository& progress, const ProgressRecorder& recorder,
            const OfflineRepository& offline, const enrollment::MemberDirectory& members,
            const OfflineEvidenceChecker& evidence, const auth::ScopeChecker& scopes)
      : pool_(pool),
        clock_(clock),
        rules_(rules),
        progress_(progress),
        recorder_(recorder),
        offline_(offline),
        members_(members),
        evidence_(evidence),
        scopes_(scopes) {}

  // One outcome per upload, in order.
  [[nodiscard]] absl::StatusOr<std::vector<MemberSyncOutcome>> Sync(
      const call::CallContext& call, std::vector<MemberUpload> uploads) const;

 private:
  struct Plan;

  // Inside the transaction: members, evidence and each event's fate.
  [[nodiscard]] absl::Status Classify(db::Transaction& tx, const call::CallContext& call,
                                      absl::Time now, const ProgressRules& rules,
                                      std::vector<MemberUpload>& uploads, Plan& plan) const;
  // Pending events: stored once; a retry finds them (or finds them recorded).
  [[nodiscard]] absl::Status StorePending(db::Transaction& tx, int64_t kiosk_id, absl::Time now,
                                          const std::vector<MemberUpload>& uploads,
                                          Plan& plan) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  ProgressRulesSource& rules_;
  const ProgressRepository& progress_;
  const ProgressRecorder& recorder_;
  const OfflineRepository& offline_;
  const enrollment::MemberDirectory& members_;
  const OfflineEvidenceChecker& evidence_;
  const auth::ScopeChecker& scopes_;
};

}  // namespace lms::progress
