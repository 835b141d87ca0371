#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/progress/offline_repository.h"
#include "services/progress/progress_recorder.h"
#include "services/progress/progress_repository.h"
#include "services/progress/progress_rules.h"

namespace lms::progress {

struct PendingPage {
  std::vector<PendingRecord> events;
  std::string next_page_token;
  int64_t waiting = 0;
};

struct PendingDecision {
  std::vector<PendingRecord> events;  // in request order, as decided
  std::vector<LessonProgress> lessons;
  std::vector<int64_t> completed_course_ids;
};

// Offline events that wait for confirmation (README "Offline study: the trust model"):
// the member, or an admin of their subtree with a reason, confirms or rejects them. A
// confirmed event goes through the recorder as if it had just arrived with strong
// evidence: its own id (it counts once, even if it also arrived another way), its own
// times and the receive time of its upload (the device clock is corrected as then).
// Thread-safe.
class PendingConfirmation {
 public:
  static constexpr size_t kMaxDecisions = 1000;
  static constexpr size_t kMaxReasonLength = 500;

  PendingConfirmation(db::ConnectionPool& pool, const Clock& clock, ProgressRulesSource& rules,
                      const ProgressRepository& progress, const ProgressRecorder& recorder,
                      const OfflineRepository& offline)
      : pool_(pool),
        clock_(clock),
        rules_(rules),
        progress_(progress),
        recorder_(recorder),
        offline_(offline) {}

  [[nodiscard]] absl::StatusOr<PendingPage> List(const call::CallContext& call, int64_t member_id,
                                                 bool include_decided, int page_size,
                                                 const std::string& page_token) const;
  [[nodiscard]] absl::StatusOr<PendingDecision> Decide(const call::CallContext& call,
                                                       int64_t member_id,
                                                       const std::vector<int64_t>& pending_ids,
                                                       bool confirm,
                                                       const std::string& reason) const;

 private:
  // Records the confirmed events, grouped by the upload they came in (its receive time).
  [[nodiscard]] absl::Status RecordConfirmed(db::Transaction& tx, int64_t member_id,
                                             const ProgressRules& rules,
                                             std::vector<PendingRecord*>& confirmed,
                                             PendingDecision& decision) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  ProgressRulesSource& rules_;
  const ProgressRepository& progress_;
  const ProgressRecorder& recorder_;
  const OfflineRepository& offline_;
};

}  // namespace lms::progress
