#include "services/statistics/statistics_handler.h"

#include "services/statistics/statistics_mapping.h"

namespace lms::statistics {

void StatisticsHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("GetOrganizationStatistics", *this, &StatisticsHandler::GetOrganizationStatistics);
  rpcs.Blocking("GetMonthSnapshot", *this, &StatisticsHandler::GetMonthSnapshot);
  rpcs.Blocking("ListCourseStatistics", *this, &StatisticsHandler::ListCourseStatistics);
  rpcs.Blocking("GetActivityStatistics", *this, &StatisticsHandler::GetActivityStatistics);
  rpcs.Blocking("GetAssessmentStatistics", *this, &StatisticsHandler::GetAssessmentStatistics);
  rpcs.Blocking("GetMonthlyTrend", *this, &StatisticsHandler::GetMonthlyTrend);
  rpcs.Blocking("ListMembersBehind", *this, &StatisticsHandler::ListMembersBehind);
  rpcs.Blocking("RankChildOrganizations", *this, &StatisticsHandler::RankChildOrganizations);
  rpcs.Blocking("GetEscalation", *this, &StatisticsHandler::GetEscalation);
  rpcs.Blocking("ListMemberStatistics", *this, &StatisticsHandler::ListMemberStatistics);
  rpcs.Blocking("GetHoursDistribution", *this, &StatisticsHandler::GetHoursDistribution);
  rpcs.ServerStream<v1::ExportStatisticsRequest, v1::ExportChunk>(
      "ExportStatistics",
      [this](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
             const auth::MethodPolicy& policy) {
        return new ExportStreamReactor(context, *request,
                                       std::make_unique<StatisticsExport>(pool_, clock_), runner_,
                                       policy, export_slots_);
      });
}

absl::Status StatisticsHandler::GetOrganizationStatistics(
    const call::CallContext& call, const v1::GetOrganizationStatisticsRequest& request,
    v1::OrganizationStatistics* response) const {
  const absl::StatusOr<OrganizationReport> report =
      statistics_.Organization(call, ScopeFromProto(request.scope()));
  if (report.ok()) ToProto(*report, response);
  return report.status();
}

absl::Status StatisticsHandler::GetMonthSnapshot(const call::CallContext& call,
                                                 const v1::GetMonthSnapshotRequest& request,
                                                 v1::OrganizationStatistics* response) const {
  const absl::StatusOr<OrganizationReport> report =
      snapshots_.Read(call, request.organization_id(), request.year(), request.month());
  if (report.ok()) ToProto(*report, response);
  return report.status();
}

absl::Status StatisticsHandler::ListCourseStatistics(
    const call::CallContext& call, const v1::ListCourseStatisticsRequest& request,
    v1::ListCourseStatisticsResponse* response) const {
  const absl::StatusOr<CoursePage> page = details_.Courses(
      call, ScopeFromProto(request.scope()), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  ToProto(page->stamp, response->mutable_stamp());
  for (const CourseFigures& course : page->courses) ToProto(course, response->add_courses());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetActivityStatistics(
    const call::CallContext& call, const v1::GetActivityStatisticsRequest& request,
    v1::ActivityStatistics* response) const {
  const absl::StatusOr<ActivityReport> report =
      details_.Activities(call, ScopeFromProto(request.scope()));
  if (!report.ok()) return report.status();
  ToProto(report->stamp, response->mutable_stamp());
  for (const ActivityKindFigures& kind : report->kinds) ToProto(kind, response->add_kinds());
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetAssessmentStatistics(
    const call::CallContext& call, const v1::GetAssessmentStatisticsRequest& request,
    v1::AssessmentStatistics* response) const {
  const absl::StatusOr<AssessmentReport> report =
      details_.Assessments(call, ScopeFromProto(request.scope()), request.paper_id());
  if (!report.ok()) return report.status();
  ToProto(report->stamp, response->mutable_stamp());
  ToProto(report->figures, response);
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetMonthlyTrend(const call::CallContext& call,
                                                const v1::GetMonthlyTrendRequest& request,
                                                v1::MonthlyTrend* response) const {
  const absl::StatusOr<TrendReport> report = details_.Trend(call, ScopeFromProto(request.scope()));
  if (!report.ok()) return report.status();
  ToProto(report->stamp, response->mutable_stamp());
  for (const MonthFigures& month : report->months) ToProto(month, response->add_months());
  return absl::OkStatus();
}

absl::Status StatisticsHandler::ListMembersBehind(const call::CallContext& call,
                                                  const v1::ListMembersBehindRequest& request,
                                                  v1::ListMembersBehindResponse* response) const {
  MembersBehindInput input;
  input.scope = ScopeFromProto(request.scope());
  input.category = request.category();
  input.order = static_cast<MembersBehindOrder>(request.order());
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<MembersBehindPage> page = statistics_.MembersBehind(call, input);
  if (!page.ok()) return page.status();
  ToProto(page->stamp, response->mutable_stamp());
  for (const MemberBehindRow& row : page->members) ToProto(row, response->add_members());
  response->set_next_page_token(page->next_page_token);
  response->set_total(page->total);
  return absl::OkStatus();
}

absl::Status StatisticsHandler::RankChildOrganizations(
    const call::CallContext& call, const v1::RankChildOrganizationsRequest& request,
    v1::RankChildOrganizationsResponse* response) const {
  const absl::StatusOr<ChildRanking> ranking =
      statistics_.RankChildren(call, ScopeFromProto(request.scope()), request.count());
  if (!ranking.ok()) return ranking.status();
  ToProto(ranking->stamp, response->mutable_stamp());
  for (const RankedChild& child : ranking->best) ToProto(child, response->add_best());
  for (const RankedChild& child : ranking->worst) ToProto(child, response->add_worst());
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetEscalation(const call::CallContext& call,
                                              const v1::GetEscalationRequest& request,
                                              v1::Escalation* response) const {
  const absl::StatusOr<EscalationReport> report =
      statistics_.Escalation(call, ScopeFromProto(request.scope()));
  if (!report.ok()) return report.status();
  ToProto(report->stamp, response->mutable_stamp());
  for (const EscalationRow& row : report->rows) ToProto(row, response->add_rows());
  return absl::OkStatus();
}

absl::Status StatisticsHandler::ListMemberStatistics(
    const call::CallContext& call, const v1::ListMemberStatisticsRequest& request,
    v1::ListMemberStatisticsResponse* response) const {
  MemberListingInput input;
  input.scope = ScopeFromProto(request.scope());
  input.category = request.category();
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  const absl::StatusOr<MemberListingPage> page = members_.Page(call, input);
  if (!page.ok()) return page.status();
  ToProto(page->stamp, response->mutable_stamp());
  for (const MemberDetail& row : page->members) ToProto(row, response->add_members());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetHoursDistribution(const call::CallContext& call,
                                                     const v1::GetHoursDistributionRequest& request,
                                                     v1::HoursDistribution* response) const {
  const absl::StatusOr<HoursDistributionReport> report =
      statistics_.HoursDistribution(call, ScopeFromProto(request.scope()), request.category());
  if (!report.ok()) return report.status();
  ToProto(report->stamp, response->mutable_stamp());
  for (const HoursBucket& bucket : report->buckets) {
    v1::HoursBucket* out = response->add_buckets();
    out->set_from_percent(bucket.from_percent);
    out->set_to_percent(bucket.to_percent);
    out->set_members(bucket.members);
  }
  response->set_members_without_requirement(report->members_without_requirement);
  return absl::OkStatus();
}

}  // namespace lms::statistics
