#include "services/course/catalogue_refresher.h"

#include "absl/time/clock.h"
#include "common/log/log.h"

namespace lms::course {

CatalogueRefresher::CatalogueRefresher(Catalogue& catalogue, absl::Duration interval,
                                       absl::Duration counts_interval)
    : catalogue_(catalogue),
      interval_(interval),
      counts_interval_(counts_interval),
      thread_([this] { Run(); }) {}

CatalogueRefresher::~CatalogueRefresher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void CatalogueRefresher::Run() {
  absl::Time next_counts = absl::Now() + counts_interval_;
  bool was_failing = false;
  while (true) {
    const absl::Status refreshed = catalogue_.Refresh(absl::Now() + absl::Seconds(10));
    absl::Status counted = absl::OkStatus();
    if (refreshed.ok() && absl::Now() >= next_counts) {
      counted = catalogue_.RefreshLearnerCounts(absl::Now() + absl::Seconds(10));
      next_counts = absl::Now() + counts_interval_;
    }
    const absl::Status status = refreshed.ok() ? counted : refreshed;
    // Log transitions, not every failed tick.
    if (!status.ok() && !was_failing) {
      log::Warn("catalogue_refresh_failed", {{"error", std::string(status.message())}});
    } else if (status.ok() && was_failing) {
      log::Info("catalogue_refresh_recovered");
    }
    was_failing = !status.ok();
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
  }
}

}  // namespace lms::course
