#pragma once

#include <memory>
#include <vector>

#include "common/sched/periodic_task.h"
#include "services/server/service_module.h"
#include "services/statistics/detail_reports.h"
#include "services/statistics/month_snapshots.h"
#include "services/statistics/standings_rollup.h"
#include "services/statistics/statistics_handler.h"
#include "services/statistics/statistics_service.h"

namespace lms::statistics {

// The statistics service's object graph inside a server, and its tasks:
// "statistics_rollups" keeps the rollups current (every 5 seconds: the queue of changed
// members, a rebuild when the day turns or the rules change), "statistics_snapshots"
// freezes each month's snapshot once its grace has passed (checked every 15 minutes). Its policies
// name organisations only: a plan or a paper in a scope is checked by the service against the
// scope's subtree.
class StatisticsModule final : public server::ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<server::ServiceModule>> Create(
      server::ServerRuntime& runtime) {
    return std::make_unique<StatisticsModule>(runtime);
  }
  explicit StatisticsModule(server::ServerRuntime& runtime);
  grpc_util::RpcService& service() override { return rpcs_; }
  std::vector<sched::PeriodicTask*> tasks() override {
    return {rollup_task_.get(), snapshot_task_.get()};
  }

 private:
  StatisticsService statistics_;
  DetailReports details_;
  MonthSnapshots snapshots_;
  MemberStatistics members_;
  StandingsRollup rollup_;
  StatisticsHandler handler_;
  grpc_util::RpcService rpcs_;
  std::unique_ptr<sched::PeriodicTask> rollup_task_;
  std::unique_ptr<sched::PeriodicTask> snapshot_task_;
};

}  // namespace lms::statistics
