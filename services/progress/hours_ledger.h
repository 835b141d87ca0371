#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "common/outbox/statistics_queue.h"
#include "services/progress/hours_credit.h"

namespace lms::progress {

// A member's hours in one year, from the summaries.
struct YearHours {
  int64_t earned_hundredths = 0;
  // Per source (reversals under the source they undo) and per content category.
  std::vector<std::pair<CreditSource, int64_t>> by_source;
  std::vector<std::pair<ContentCategory, int64_t>> by_category;
  int64_t effective_study_ms = 0;
};

// The study-hours ledger, for every service: credits are appended inside the caller's own
// transaction (one store), so an earning and its credit commit together or not at all.
// Each credit counts once: its source key is unique per member, and a second credit of
// the same key returns the first (nullopt from Credit's `created`). The per-member, per-year
// summaries (member_year_hours, member_year_study) and the statistics queue change in the
// same transaction.
// Stateless; thread-safe.
class HoursLedger {
 public:
  // Appends `credit` (id, record_time and year are filled in: the year from happen_time,
  // China time). Returns the credit as stored: the new one, or the one already recorded
  // under its source key (then `*created` is false and nothing changes).
  [[nodiscard]] absl::StatusOr<HoursCredit> Credit(db::Transaction& tx, HoursCredit credit,
                                                   absl::Time now, bool* created = nullptr) const;
  // Appends the reversal of credit `credit_id` by `actor`: the opposite amount, the same
  // year and category. NOT_FOUND, FAILED_PRECONDITION (a reversal; already reversed).
  [[nodiscard]] absl::StatusOr<HoursCredit> Reverse(db::Transaction& tx, int64_t credit_id,
                                                    int64_t actor_member_id,
                                                    const std::string& reason,
                                                    absl::Time now) const;
  [[nodiscard]] absl::StatusOr<std::optional<HoursCredit>> Find(db::Transaction& tx,
                                                                int64_t credit_id,
                                                                bool lock = false) const;
  // The credit recorded under a source key, if any.
  [[nodiscard]] absl::StatusOr<std::optional<HoursCredit>> FindBySource(
      db::Transaction& tx, int64_t member_id, const std::string& source_key) const;
  // A member's credits of a year, newest first, after credit id `before_id` (0: from the
  // newest), at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<HoursCredit>> List(db::Transaction& tx,
                                                              int64_t member_id, int year,
                                                              int64_t before_id, int limit) const;
  // The member's summaries of a year.
  [[nodiscard]] absl::StatusOr<YearHours> Year(db::Transaction& tx, int64_t member_id,
                                               int year) const;
  // Adds credited study time to the members' year summaries, by (member, year); deltas
  // may be negative. One statement for the lot.
  [[nodiscard]] absl::Status AddStudyTime(
      db::Transaction& tx, const std::map<std::pair<int64_t, int>, int64_t>& ms) const;

 private:
  const outbox::StatisticsQueue statistics_queue_{};
};

}  // namespace lms::progress
