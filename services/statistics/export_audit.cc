#include "services/statistics/export_audit.h"

namespace lms::statistics {

absl::StatusOr<int64_t> ExportAuditRepository::Begin(db::Transaction& tx,
                                                     const ExportAuditEntry& e) const {
  return tx.Insert(
      "INSERT INTO data_export_audit (actor_member_id, actor_role, export_table, export_format,"
      " organization_id, year, plan_id, as_of, received_by, category, start_time)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.caller.member_id, static_cast<int64_t>(e.caller.role), e.table, e.format,
       e.organization_id, e.year, e.plan_id, e.as_of, e.received_by, e.category, e.start_time});
}

absl::Status ExportAuditRepository::Finish(db::Transaction& tx, int64_t id, absl::Time finish_time,
                                           int64_t rows, ExportOutcome outcome,
                                           const std::string& file_sha256) const {
  return tx
      .Execute(
          "UPDATE data_export_audit SET finish_time = ?, exported_rows = ?, outcome = ?,"
          " file_sha256 = ? WHERE id = ?",
          {finish_time, rows, static_cast<int64_t>(outcome), file_sha256, id})
      .status();
}

}  // namespace lms::statistics
