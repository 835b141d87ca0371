#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/progress/offline_evidence.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

// Checks the evidence a kiosk uploaded for a member against what only the server and the
// member hold (README "Offline study: the trust model"): a kiosk ticket against the
// identity service's token key, a phone identification against the member's registered
// key. Thread-safe (immutable).
class OfflineEvidenceChecker {
 public:
  OfflineEvidenceChecker(std::string token_public_key, const OfflineRepository& offline)
      : token_public_key_(std::move(token_public_key)), offline_(offline) {}

  // For `member_id`'s events uploaded by `kiosk_id` and received at `received`.
  [[nodiscard]] absl::StatusOr<CheckedEvidence> Check(db::Transaction& tx,
                                                      const UploadedEvidence& uploaded,
                                                      int64_t kiosk_id, int64_t member_id,
                                                      absl::Time received,
                                                      const ProgressRules& rules) const;

 private:
  [[nodiscard]] absl::StatusOr<CheckedEvidence> CheckPhone(db::Transaction& tx,
                                                           const UploadedEvidence& uploaded,
                                                           int64_t kiosk_id, int64_t member_id,
                                                           absl::Time received,
                                                           const ProgressRules& rules) const;

  const std::string token_public_key_;
  const OfflineRepository& offline_;
};

}  // namespace lms::progress
