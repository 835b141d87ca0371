#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"

namespace lms::organization {

// SQL for member_category_history: the days each member held each category. Masks are
// MemberCategoryMask bits. Stateless and thread-safe; every method runs inside the
// caller's transaction, the one that changes member.category_mask.
class CategoryHistoryRepository {
 public:
  // A new member holds `mask` from `since`.
  [[nodiscard]] absl::Status Open(db::Transaction& tx, int64_t member_id, int64_t mask,
                                  absl::CivilDay since) const;
  // The same for the members with these numbers, from their stored category_mask (bulk
  // imports: one statement per batch).
  [[nodiscard]] absl::Status OpenForNumbers(db::Transaction& tx,
                                            const std::vector<std::string>& member_numbers,
                                            absl::CivilDay since) const;
  // From `day` on the member holds `after` instead of `before`: categories dropped end the
  // day before (an interval that began on `day` is removed: it never held a day), the new
  // ones start on `day`.
  [[nodiscard]] absl::Status Change(db::Transaction& tx, int64_t member_id, int64_t before,
                                    int64_t after, absl::CivilDay day) const;
  // The mask the member held on `day`.
  [[nodiscard]] absl::StatusOr<int64_t> MaskOn(db::Transaction& tx, int64_t member_id,
                                               absl::CivilDay day) const;
};

}  // namespace lms::organization
