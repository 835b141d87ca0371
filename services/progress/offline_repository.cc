#include "services/progress/offline_repository.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

constexpr char kPhoneKey[] =
    "SELECT member_id, public_key, revoke_time IS NOT NULL FROM member_device_key WHERE id = ?";
// LAST_INSERT_ID(id) makes the existing row's id the insert's answer.
constexpr char kSaveEvidence[] =
    "INSERT INTO offline_evidence (kiosk_id, member_id, kind, reference, window_start,"
    " window_end, pin_checked, first_upload_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
constexpr char kPendingColumns[] =
    "SELECT p.id, p.member_id, p.event_id, p.lesson_id, p.device_id, p.sequence, p.occur_time,"
    " p.sent_time, p.receive_time, p.from_position, p.to_position, p.active_seconds,"
    " p.kiosk_id, e.kind, p.reason, p.state, COALESCE(p.decided_by, 0), p.decide_time,"
    " p.decision_reason, p.result_outcome, p.result_rejection, p.result_credited_ms,"
    " p.evidence_id FROM pending_progress_event p ";
// The evidence joined after the pending rows are found (the optimizer would otherwise
// start from the evidence and sort a member's whole history for one page).
constexpr char kEvidenceJoin[] = " STRAIGHT_JOIN offline_evidence e ON e.id = p.evidence_id ";
constexpr char kInsertPendingPrefix[] =
    "INSERT INTO pending_progress_event (member_id, event_id, lesson_id, device_id, sequence,"
    " occur_time, sent_time, receive_time, from_position, to_position, active_seconds,"
    " kiosk_id, evidence_id, reason, state) VALUES ";
constexpr char kSaveDecision[] =
    "UPDATE pending_progress_event SET state = ?, decided_by = ?, decide_time = ?,"
    " decision_reason = ?, result_outcome = ?, result_rejection = ?, result_credited_ms = ?"
    " WHERE id = ?";
constexpr char kCountWaiting[] =
    "SELECT COUNT(*) FROM pending_progress_event WHERE member_id = ? AND state = 1";
constexpr char kPendingRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";

PendingRecord PendingFromRow(const db::Row& row) {
  PendingRecord pending;
  pending.id = row.Int64(1);
  pending.member_id = row.Int64(2);
  pending.event.event_id = row.String(3);
  pending.event.lesson_id = row.Int64(4);
  pending.event.device_id = row.String(5);
  pending.event.sequence = row.Int64(6);
  pending.event.occur_time = row.Time(7);
  pending.event.sent_time = row.Time(8);
  pending.receive_time = row.Time(9);
  pending.event.from_position = static_cast<int32_t>(row.Int64(10));
  pending.event.to_position = static_cast<int32_t>(row.Int64(11));
  pending.event.active_seconds = static_cast<int32_t>(row.Int64(12));
  pending.kiosk_id = row.Int64(13);
  pending.evidence_kind = static_cast<EvidenceKind>(row.Int64(14));
  pending.reason = static_cast<PendingReason>(row.Int64(15));
  pending.state = static_cast<int>(row.Int64(16));
  pending.decided_by = row.Int64(17);
  pending.decide_time = row.Time(18);
  pending.decision_reason = row.String(19);
  pending.result.event_id = pending.event.event_id;
  pending.result.outcome = static_cast<EventOutcome>(row.Int64(20));
  pending.result.rejection = static_cast<EventRejection>(row.Int64(21));
  pending.result.credited_ms = row.Int64(22);
  pending.event.evidence_id = row.Int64(23);
  return pending;
}

}  // namespace

absl::StatusOr<std::optional<PhoneKeyRecord>> OfflineRepository::FindPhoneKey(
    db::Transaction& tx, int64_t key_id) const {
  std::optional<PhoneKeyRecord> found;
  RETURN_IF_ERROR(tx.Query(kPhoneKey, {key_id}, [&](const db::Row& row) {
    found = PhoneKeyRecord{row.Int64(1), absl::HexStringToBytes(row.String(2)), row.Bool(3)};
  }));
  return found;
}

absl::StatusOr<int64_t> OfflineRepository::SaveEvidence(db::Transaction& tx, int64_t kiosk_id,
                                                        int64_t member_id,
                                                        const CheckedEvidence& evidence,
                                                        absl::Time now) const {
  const bool windowed = evidence.window_start != absl::InfinitePast();
  return tx.Insert(kSaveEvidence,
                   {kiosk_id, member_id, static_cast<int64_t>(evidence.kind), evidence.reference,
                    windowed ? db::Param(evidence.window_start) : db::Param(nullptr),
                    windowed ? db::Param(evidence.window_end) : db::Param(nullptr),
                    db::Param::Bool(evidence.pin_checked), now});
}

absl::StatusOr<std::map<std::string, PendingRecord>> OfflineRepository::PendingByEventId(
    db::Transaction& tx, int64_t member_id, const std::vector<std::string>& event_ids) const {
  std::map<std::string, PendingRecord> pending;
  RETURN_IF_ERROR(db::ForEachBatch(event_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{member_id};
    for (size_t i = begin; i < begin + size; ++i) params.emplace_back(event_ids[i]);
    return tx.Query(
        absl::StrCat(kPendingColumns, kEvidenceJoin, "WHERE p.member_id = ? AND p.event_id IN (",
                     db::BindMarks(size), ")"),
        params, [&](const db::Row& row) {
          PendingRecord record = PendingFromRow(row);
          pending.emplace(record.event.event_id, std::move(record));
        });
  }));
  return pending;
}

absl::StatusOr<std::vector<PendingRecord>> OfflineRepository::ListPending(db::Transaction& tx,
                                                                          int64_t member_id,
                                                                          bool include_decided,
                                                                          int64_t after_id,
                                                                          int limit) const {
  std::vector<PendingRecord> rows;
  // Each form walks one index range in order, (member, state, id) or (member, id), and stops
  // at the page's end (Handler_read_next = the page, checked on 5,000 rows).
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kPendingColumns,
                   include_decided ? "FORCE INDEX (pending_progress_event_member)"
                                   : "FORCE INDEX (pending_progress_event_state)",
                   kEvidenceJoin, "WHERE p.member_id = ? ",
                   include_decided ? "" : "AND p.state = 1 ", "AND p.id > ? ORDER BY p.id LIMIT ?"),
      {member_id, after_id, limit},
      [&](const db::Row& row) { rows.push_back(PendingFromRow(row)); }));
  return rows;
}

absl::StatusOr<int64_t> OfflineRepository::CountWaiting(db::Transaction& tx,
                                                        int64_t member_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count, tx.QueryInt64(kCountWaiting, {member_id}));
  return count.value_or(0);
}

absl::StatusOr<std::map<int64_t, PendingRecord>> OfflineRepository::LockPending(
    db::Transaction& tx, int64_t member_id, const std::vector<int64_t>& ids) const {
  std::map<int64_t, PendingRecord> rows;
  RETURN_IF_ERROR(db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params{member_id};
    for (size_t i = begin; i < begin + size; ++i) params.emplace_back(ids[i]);
    return tx.Query(
        absl::StrCat(kPendingColumns, kEvidenceJoin, "WHERE p.member_id = ? AND p.id IN (",
                     db::BindMarks(size), ") FOR UPDATE"),
        params, [&](const db::Row& row) {
          PendingRecord record = PendingFromRow(row);
          rows.emplace(record.id, std::move(record));
        });
  }));
  return rows;
}

absl::Status OfflineRepository::SaveDecision(db::Transaction& tx, const PendingRecord& row) const {
  return tx
      .Execute(kSaveDecision,
               {row.state, row.decided_by, row.decide_time, row.decision_reason,
                static_cast<int64_t>(row.result.outcome),
                static_cast<int64_t>(row.result.rejection), row.result.credited_ms, row.id})
      .status();
}

absl::Status OfflineRepository::InsertPending(db::Transaction& tx,
                                              const std::vector<PendingRecord>& rows) const {
  return db::ForEachBatch(rows.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 14);
    for (size_t i = begin; i < begin + size; ++i) {
      const PendingRecord& row = rows[i];
      const ProgressEvent& event = row.event;
      params.insert(params.end(),
                    {row.member_id, event.event_id, event.lesson_id, event.device_id,
                     event.sequence, event.occur_time, event.sent_time, row.receive_time,
                     event.from_position, event.to_position, event.active_seconds, row.kiosk_id,
                     event.evidence_id, static_cast<int64_t>(row.reason)});
    }
    const std::vector<std::string> marks(size, kPendingRow);
    return tx.Execute(absl::StrCat(kInsertPendingPrefix, absl::StrJoin(marks, ", ")), params)
        .status();
  });
}

absl::StatusOr<std::map<int64_t, int64_t>> OfflineRepository::Checkpoints(
    db::Transaction& tx, const std::set<int64_t>& members) const {
  std::map<int64_t, int64_t> checkpoints;
  for (const int64_t member : members) checkpoints[member] = 0;
  const std::vector<int64_t> ids(members.begin(), members.end());
  RETURN_IF_ERROR(db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                  ids.begin() + static_cast<std::ptrdiff_t>(begin + size));
    return tx.Query(absl::StrCat("SELECT member_id, MAX(checkpoint) FROM lesson_progress"
                                 " WHERE member_id IN (",
                                 db::BindMarks(size), ") GROUP BY member_id"),
                    params, [&](const db::Row& row) { checkpoints[row.Int64(1)] = row.Int64(2); });
  }));
  return checkpoints;
}

}  // namespace lms::progress
