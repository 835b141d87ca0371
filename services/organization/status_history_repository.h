#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"

namespace lms::organization {

// SQL for member_status_history: the days each member had each status (lms.v1.MemberStatus),
// so figures "as of a date" count a member who has left since and not one who had left by
// then. Stateless and thread-safe; every method runs inside the caller's transaction, the
// one that changes member.status.
class StatusHistoryRepository {
 public:
  // A new member has `status` from `since`.
  [[nodiscard]] absl::Status Open(db::Transaction& tx, int64_t member_id, int status,
                                  absl::CivilDay since) const;
  // The same for the members with these numbers, from their stored status (bulk imports:
  // one statement per batch).
  [[nodiscard]] absl::Status OpenForNumbers(db::Transaction& tx,
                                            const std::vector<std::string>& member_numbers,
                                            absl::CivilDay since) const;
  // From `day` on the member has `status`: the current interval ends the day before (one
  // that began on `day` is removed: it never held a day), the new one starts on `day`.
  [[nodiscard]] absl::Status Change(db::Transaction& tx, int64_t member_id, int status,
                                    absl::CivilDay day) const;
};

}  // namespace lms::organization
