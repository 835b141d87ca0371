#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/assessment/exam_lease.h"

namespace lms::assessment {

// SQL for exam_lease and exam_upload_refusal. Stateless; thread-safe.
class ExamLeaseRepository {
 public:
  [[nodiscard]] absl::Status Insert(db::Transaction& tx, const ExamLease& lease) const;
  [[nodiscard]] absl::StatusOr<std::optional<ExamLease>> Find(db::Transaction& tx,
                                                              int64_t attempt_id) const;
  // Records the upload that was graded: status, digest, start, arrival, evidence, late
  // answers and the upload itself (serialized request bytes).
  [[nodiscard]] absl::Status SaveUpload(db::Transaction& tx, const ExamLease& lease,
                                        const std::string& upload) const;
  // A lease never uploaded in time.
  [[nodiscard]] absl::Status MarkExpired(db::Transaction& tx, int64_t attempt_id) const;
  // An upload refused, for inspection (`attempt_id` 0 when the lease was unreadable).
  [[nodiscard]] absl::Status RecordRefusal(db::Transaction& tx, int64_t kiosk_id, int64_t member_id,
                                           int64_t attempt_id, int refusal,
                                           const std::string& detail, absl::Time now) const;
};

}  // namespace lms::assessment
