#pragma once

#include "lms/v1/statistics.pb.h"
#include "services/statistics/detail_reports.h"
#include "services/statistics/member_details.h"
#include "services/statistics/organization_report.h"
#include "services/statistics/statistics_scope.h"
#include "services/statistics/statistics_service.h"

namespace lms::statistics {

// Proto <-> domain for lms.v1.StatisticsService. No rules here.
[[nodiscard]] ScopeRequest ScopeFromProto(const v1::StatisticsScope& proto);
void ToProto(const ReportStamp& stamp, v1::ReportStamp* proto);
void ToProto(const OrganizationReport& report, v1::OrganizationStatistics* proto);
void ToProto(const MemberBehindRow& row, v1::MemberBehind* proto);
void ToProto(const MemberDetail& row, v1::MemberStatistics* proto);
void ToProto(const RankedChild& child, v1::RankedOrganization* proto);
void ToProto(const EscalationRow& row, v1::EscalationRow* proto);
void ToProto(const CourseFigures& course, v1::CourseFigures* proto);
void ToProto(const ActivityKindFigures& kind, v1::ActivityKindFigures* proto);
void ToProto(const AssessmentFigures& figures, v1::AssessmentStatistics* proto);
void ToProto(const MonthFigures& month, v1::MonthFigures* proto);

}  // namespace lms::statistics
