#include "services/statistics/statistics_module.h"

#include "absl/time/time.h"

namespace lms::statistics {

StatisticsModule::StatisticsModule(server::ServerRuntime& runtime)
    : statistics_(runtime.pool(), runtime.clock()),
      details_(runtime.pool(), runtime.clock()),
      snapshots_(runtime.pool(), runtime.clock()),
      members_(runtime.pool(), runtime.clock()),
      rollup_(runtime.pool(), runtime.clock()),
      handler_(statistics_, details_, snapshots_, members_, runtime.pool(), runtime.clock(),
               runtime.runner()),
      rpcs_("lms.v1.StatisticsService", runtime.runner()) {
  handler_.Bind(rpcs_);
  // A rebuild at 200,000 members recounts them all: its deadline is generous.
  rollup_task_ = std::make_unique<sched::PeriodicTask>(
      "statistics_rollups", absl::Seconds(5),
      [this] { return rollup_.RunOnce(absl::Now() + absl::Minutes(10)).status(); });
  // Each month in its own transaction; a backlog (a new site's history) drains within
  // the tick's ten minutes, or over the next ticks.
  snapshot_task_ = std::make_unique<sched::PeriodicTask>(
      "statistics_snapshots", absl::Minutes(15),
      [this] { return snapshots_.FreezeDue(absl::Now() + absl::Minutes(10)).status(); });
}

}  // namespace lms::statistics
