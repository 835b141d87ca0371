#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/statistics.pb.h"
#include "services/statistics/detail_reports.h"
#include "services/statistics/export_stream_reactor.h"
#include "services/statistics/member_statistics.h"
#include "services/statistics/month_snapshots.h"
#include "services/statistics/statistics_service.h"

namespace lms::statistics {

// gRPC glue for lms.v1.StatisticsService: proto in, domain call, proto out; every RPC runs
// on the worker pool (an export a step at a time, ExportStreamReactor). Thread-safe.
class StatisticsHandler final {
 public:
  // Exports make a StatisticsExport on `pool` and `clock` per call, run by `runner`.
  StatisticsHandler(const StatisticsService& statistics, const DetailReports& details,
                    const MonthSnapshots& snapshots, const MemberStatistics& members,
                    db::ConnectionPool& pool, const Clock& clock,
                    const grpc_util::UnaryCallRunner& runner)
      : statistics_(statistics),
        details_(details),
        snapshots_(snapshots),
        members_(members),
        pool_(pool),
        clock_(clock),
        runner_(runner) {}

  // Binds every RPC of lms.v1.StatisticsService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status GetOrganizationStatistics(const call::CallContext& call,
                                         const v1::GetOrganizationStatisticsRequest& request,
                                         v1::OrganizationStatistics* response) const;
  absl::Status GetMonthSnapshot(const call::CallContext& call,
                                const v1::GetMonthSnapshotRequest& request,
                                v1::OrganizationStatistics* response) const;
  absl::Status ListCourseStatistics(const call::CallContext& call,
                                    const v1::ListCourseStatisticsRequest& request,
                                    v1::ListCourseStatisticsResponse* response) const;
  absl::Status GetActivityStatistics(const call::CallContext& call,
                                     const v1::GetActivityStatisticsRequest& request,
                                     v1::ActivityStatistics* response) const;
  absl::Status GetAssessmentStatistics(const call::CallContext& call,
                                       const v1::GetAssessmentStatisticsRequest& request,
                                       v1::AssessmentStatistics* response) const;
  absl::Status GetMonthlyTrend(const call::CallContext& call,
                               const v1::GetMonthlyTrendRequest& request,
                               v1::MonthlyTrend* response) const;
  absl::Status ListMembersBehind(const call::CallContext& call,
                                 const v1::ListMembersBehindRequest& request,
                                 v1::ListMembersBehindResponse* response) const;
  absl::Status RankChildOrganizations(const call::CallContext& call,
                                      const v1::RankChildOrganizationsRequest& request,
                                      v1::RankChildOrganizationsResponse* response) const;
  absl::Status GetEscalation(const call::CallContext& call, const v1::GetEscalationRequest& request,
                             v1::Escalation* response) const;
  absl::Status GetHoursDistribution(const call::CallContext& call,
                                    const v1::GetHoursDistributionRequest& request,
                                    v1::HoursDistribution* response) const;
  absl::Status ListMemberStatistics(const call::CallContext& call,
                                    const v1::ListMemberStatisticsRequest& request,
                                    v1::ListMemberStatisticsResponse* response) const;

 private:
  const StatisticsService& statistics_;
  const DetailReports& details_;
  const MonthSnapshots& snapshots_;
  const MemberStatistics& members_;
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const grpc_util::UnaryCallRunner& runner_;
  mutable grpc_util::ImportSlots export_slots_{kMaxConcurrentExports};
};

}  // namespace lms::statistics
