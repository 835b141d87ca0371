#include "services/assessment/exam_lease_repository.h"

#include "absl/strings/escaping.h"
#include "common/status/status_macros.h"

namespace lms::assessment {
namespace {

constexpr char kInsert[] =
    "INSERT INTO exam_lease (attempt_id, kiosk_id, member_id, kiosk_public_key, lease_text,"
    " issue_time, window_end, upload_due, time_limit_seconds, grace_seconds, status)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
constexpr char kFind[] =
    "SELECT attempt_id, kiosk_id, member_id, kiosk_public_key, lease_text, issue_time,"
    " window_end, upload_due, time_limit_seconds, grace_seconds, status, chain_digest,"
    " exam_start_time, upload_time, evidence_id, late_answers FROM exam_lease"
    " WHERE attempt_id = ?";
constexpr char kSaveUpload[] =
    "UPDATE exam_lease SET status = 2, chain_digest = ?, exam_start_time = ?, upload_time = ?,"
    " evidence_id = ?, late_answers = ?, upload = ? WHERE attempt_id = ?";
constexpr char kMarkExpired[] =
    "UPDATE exam_lease SET status = 3 WHERE attempt_id = ? AND status = 1";
constexpr char kRecordRefusal[] =
    "INSERT INTO exam_upload_refusal (kiosk_id, member_id, attempt_id, refusal, detail,"
    " receive_time) VALUES (?, ?, ?, ?, ?, ?)";
// Details are ASCII (link numbers, times), so cutting bytes cuts no character.
constexpr size_t kMaxDetail = 500;

absl::Time TimeOrUnset(const db::Row& row, int column) {
  return row.IsNull(column) ? absl::InfinitePast() : row.Time(column);
}

}  // namespace

absl::Status ExamLeaseRepository::Insert(db::Transaction& tx, const ExamLease& lease) const {
  return tx
      .Execute(kInsert,
               {lease.attempt_id, lease.kiosk_id, lease.member_id,
                absl::BytesToHexString(lease.kiosk_public_key), lease.lease_text, lease.issue_time,
                lease.window_end, lease.upload_due, lease.time_limit_seconds, lease.grace_seconds})
      .status();
}

absl::StatusOr<std::optional<ExamLease>> ExamLeaseRepository::Find(db::Transaction& tx,
                                                                   int64_t attempt_id) const {
  std::optional<ExamLease> lease;
  RETURN_IF_ERROR(tx.Query(kFind, {attempt_id}, [&](const db::Row& row) {
    ExamLease& out = lease.emplace();
    out.attempt_id = row.Int64(1);
    out.kiosk_id = row.Int64(2);
    out.member_id = row.Int64(3);
    out.kiosk_public_key = absl::HexStringToBytes(row.String(4));
    out.lease_text = row.String(5);
    out.issue_time = row.Time(6);
    out.window_end = row.Time(7);
    out.upload_due = row.Time(8);
    out.time_limit_seconds = static_cast<int32_t>(row.Int64(9));
    out.grace_seconds = static_cast<int32_t>(row.Int64(10));
    out.status = static_cast<LeaseStatus>(row.Int64(11));
    out.chain_digest = row.IsNull(12) ? "" : absl::HexStringToBytes(row.String(12));
    out.exam_start_time = TimeOrUnset(row, 13);
    out.upload_time = TimeOrUnset(row, 14);
    out.evidence_id = row.IsNull(15) ? 0 : row.Int64(15);
    out.late_answers = static_cast<int32_t>(row.Int64(16));
  }));
  return lease;
}

absl::Status ExamLeaseRepository::SaveUpload(db::Transaction& tx, const ExamLease& lease,
                                             const std::string& upload) const {
  return tx
      .Execute(kSaveUpload, {absl::BytesToHexString(lease.chain_digest), lease.exam_start_time,
                             lease.upload_time, db::Param::NullIfZero(lease.evidence_id),
                             lease.late_answers, absl::Base64Escape(upload), lease.attempt_id})
      .status();
}

absl::Status ExamLeaseRepository::MarkExpired(db::Transaction& tx, int64_t attempt_id) const {
  return tx.Execute(kMarkExpired, {attempt_id}).status();
}

absl::Status ExamLeaseRepository::RecordRefusal(db::Transaction& tx, int64_t kiosk_id,
                                                int64_t member_id, int64_t attempt_id, int refusal,
                                                const std::string& detail, absl::Time now) const {
  return tx
      .Execute(kRecordRefusal, {kiosk_id, member_id, db::Param::NullIfZero(attempt_id), refusal,
                                detail.substr(0, kMaxDetail), now})
      .status();
}

}  // namespace lms::assessment
