#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"
#include "services/statistics/figures_recount.h"
#include "services/statistics/organization_report.h"
#include "services/statistics/report_directory.h"

namespace lms::statistics {

// Month-end snapshots (README "Statistics"): once a month has ended and
// statistics.snapshot_grace_days more have passed (late kiosk syncs), the figures of every
// organisation as of the month's last day — recounted with everything received by the
// freeze — are written once, in one transaction, and never changed. Thread-safe.
class MonthSnapshots {
 public:
  MonthSnapshots(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Freezes every month due and not frozen yet (months from the site's first
  // organisation on), oldest first, each in its own transaction, until `deadline`; returns
  // how many. Another server freezing the same month at once makes one of the two roll
  // back: a month is frozen once.
  [[nodiscard]] absl::StatusOr<int> FreezeDue(absl::Time deadline) const;
  // Freezes one month now, due or not yet (a generated site's latest month, say);
  // ALREADY_EXISTS when it is frozen.
  [[nodiscard]] absl::Status FreezeMonth(absl::CivilMonth month, absl::Time deadline) const;
  // An organisation's frozen figures and its children's (as the tree stood at the month's
  // end). INVALID_ARGUMENT (year, month); FAILED_PRECONDITION when the month is not frozen
  // yet, saying when it will be; NOT_FOUND when the organisation did not exist then.
  [[nodiscard]] absl::StatusOr<OrganizationReport> Read(const call::CallContext& call,
                                                        int64_t organization_id, int year,
                                                        int month) const;

 private:
  // The day a month's snapshot freezes (China time): its last day + 1 + the grace.
  absl::StatusOr<absl::CivilDay> FreezeDay(db::Transaction& tx, absl::CivilMonth month,
                                           absl::CivilDay today) const;
  // The oldest month due and not frozen, frozen; nullopt when none is due.
  absl::StatusOr<std::optional<absl::CivilMonth>> FreezeNext(absl::Time deadline) const;
  absl::Status Freeze(db::Transaction& tx, absl::CivilMonth month, absl::Time now) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const settings::SettingsReader settings_{};
  const FiguresRecount recount_{};
  const ReportDirectory directory_{};
};

}  // namespace lms::statistics
