#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::statistics {

// The hours each of `member_ids` was credited for `year` by the end of `day` (China time),
// counting only ledger rows the server had recorded by `received_by` (InfiniteFuture: all),
// in hundredths, by member (members without credits are absent). A reversal counts at the
// time of the credit it undoes (the ledger's rule), once it was recorded: with the same
// `received_by`, the figure never changes.
[[nodiscard]] absl::StatusOr<std::map<int64_t, int64_t>> HoursCreditedOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

// The same hours split by source (lms.v1.CreditSource; a reversal counted under the
// source of the credit it undoes), by member then source; sources without hours absent.
[[nodiscard]] absl::StatusOr<std::map<int64_t, std::map<int, int64_t>>> HoursBySourceOnDate(
    db::Transaction& tx, const std::vector<int64_t>& member_ids, int year, absl::CivilDay day,
    absl::Time received_by);

}  // namespace lms::statistics
