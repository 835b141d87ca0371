#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/progress/offline_evidence.h"
#include "services/progress/progress.h"

namespace lms::progress {

// A member's registered phone key, as the evidence check needs it.
struct PhoneKeyRecord {
  int64_t member_id = 0;
  std::string public_key;  // raw bytes
  bool revoked = false;
};

// An offline event waiting for confirmation (pending_progress_event).
struct PendingRecord {
  // lms.v1.PendingState.
  static constexpr int kWaiting = 1;
  static constexpr int kConfirmed = 2;
  static constexpr int kRejected = 3;

  int64_t id = 0;
  int64_t member_id = 0;
  ProgressEvent event;
  absl::Time receive_time = absl::InfinitePast();
  int64_t kiosk_id = 0;
  EvidenceKind evidence_kind = EvidenceKind::kNone;
  PendingReason reason = PendingReason::kNone;
  int state = kWaiting;  // lms.v1.PendingState
  int64_t decided_by = 0;
  absl::Time decide_time = absl::InfinitePast();
  std::string decision_reason;
  EventResult result;  // what a confirmed event became
};

// Storage for kiosk uploads: evidence, pending events, the phone keys the evidence check
// needs, and members' checkpoints. Stateless.
class OfflineRepository {
 public:
  [[nodiscard]] absl::StatusOr<std::optional<PhoneKeyRecord>> FindPhoneKey(db::Transaction& tx,
                                                                           int64_t key_id) const;
  // The evidence's row, created on first sight (the same ticket or key for the same kiosk
  // and member is one row).
  [[nodiscard]] absl::StatusOr<int64_t> SaveEvidence(db::Transaction& tx, int64_t kiosk_id,
                                                     int64_t member_id,
                                                     const CheckedEvidence& evidence,
                                                     absl::Time now) const;
  // Of `event_ids` of a member, the pending rows (any state) by event id.
  [[nodiscard]] absl::StatusOr<std::map<std::string, PendingRecord>> PendingByEventId(
      db::Transaction& tx, int64_t member_id, const std::vector<std::string>& event_ids) const;
  // A member's pending events after `after_id`, oldest first (waiting ones only unless
  // `include_decided`), at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<PendingRecord>> ListPending(db::Transaction& tx,
                                                                       int64_t member_id,
                                                                       bool include_decided,
                                                                       int64_t after_id,
                                                                       int limit) const;
  [[nodiscard]] absl::StatusOr<int64_t> CountWaiting(db::Transaction& tx, int64_t member_id) const;
  // The member's pending rows of `ids`, locked for update, by id (ids of others are absent).
  [[nodiscard]] absl::StatusOr<std::map<int64_t, PendingRecord>> LockPending(
      db::Transaction& tx, int64_t member_id, const std::vector<int64_t>& ids) const;
  // Records a decision (state, who, when, why, and what a confirmed event became).
  [[nodiscard]] absl::Status SaveDecision(db::Transaction& tx, const PendingRecord& row) const;
  // Stores new pending events (ids and states are assigned here).
  [[nodiscard]] absl::Status InsertPending(db::Transaction& tx,
                                           const std::vector<PendingRecord>& rows) const;
  // The members' progress checkpoints (0 for a member with no lesson yet).
  [[nodiscard]] absl::StatusOr<std::map<int64_t, int64_t>> Checkpoints(
      db::Transaction& tx, const std::set<int64_t>& members) const;
};

}  // namespace lms::progress
