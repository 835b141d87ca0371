#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/db/transaction.h"

namespace lms::statistics {

// How an export ended (data_export_audit.outcome).
enum class ExportOutcome : int { kRunning = 0, kComplete = 1, kCancelled = 2, kFailed = 3 };

// A member-level export as the audit trail records it: personal data leaving the system.
struct ExportAuditEntry {
  auth::Caller caller;
  int table = 0;
  int format = 0;
  int64_t organization_id = 0;
  int year = 0;
  int64_t plan_id = 0;
  absl::CivilDay as_of;
  absl::Time received_by = absl::InfinitePast();
  int category = 0;
  absl::Time start_time = absl::InfinitePast();
};

// SQL for data_export_audit: a row when an export starts (committed before its first byte
// leaves), completed when it ends. Stateless; thread-safe.
class ExportAuditRepository {
 public:
  [[nodiscard]] absl::StatusOr<int64_t> Begin(db::Transaction& tx,
                                              const ExportAuditEntry& entry) const;
  [[nodiscard]] absl::Status Finish(db::Transaction& tx, int64_t id, absl::Time finish_time,
                                    int64_t rows, ExportOutcome outcome,
                                    const std::string& file_sha256) const;
};

}  // namespace lms::statistics
