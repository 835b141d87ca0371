#include "services/statistics/statistics_mapping.h"

#include "common/grpc/proto_time.h"

namespace lms::statistics {
namespace {

void ToProto(const CategoryFigures& f, v1::CategoryFigures* proto) {
  proto->set_category(static_cast<v1::MemberCategory>(f.category));
  proto->set_members(f.members);
  proto->set_members_in_plans(f.members_in_plans);
  proto->set_required_enrollments(f.required_enrollments);
  proto->set_completed_enrollments(f.completed_enrollments);
  proto->set_completion_permille(Permille(f.completed_enrollments, f.required_enrollments));
  proto->mutable_hours_credited()->set_hundredths(std::max<int64_t>(0, f.hours_credited));
  proto->mutable_hours_required()->set_hundredths(f.hours_required);
  proto->set_members_meeting_requirement(f.members_meeting_requirement);
  proto->set_coverage_permille(Permille(f.members_meeting_requirement, f.members));
  proto->set_members_on_track(f.members_on_track);
  proto->set_on_track_permille(Permille(f.members_on_track, f.members));
  proto->set_members_without_study(f.members_without_study);
  proto->set_effective_study_seconds(f.study_ms / 1000);
}

void ToProto(const OrganizationFigures& figures, const std::map<int64_t, OrganizationLabel>& labels,
             v1::OrganizationFigures* proto) {
  proto->set_organization_id(figures.organization_id);
  if (const auto found = labels.find(figures.organization_id); found != labels.end()) {
    proto->set_name(found->second.name);
    proto->set_kind(static_cast<v1::OrganizationKind>(found->second.kind));
  }
  for (const CategoryFigures& category : figures.categories) {
    ToProto(category, proto->add_categories());
  }
}

void SetHours(int64_t hundredths, v1::StudyHours* proto) {
  proto->set_hundredths(std::max<int64_t>(0, hundredths));
}

v1::BehindReason ReasonOf(const MemberStanding& member) {
  const bool hours = !member.on_track();
  const bool overdue = member.overdue_courses > 0;
  if (hours && overdue) return v1::BEHIND_REASON_HOURS_AND_OVERDUE;
  if (overdue) return v1::BEHIND_REASON_OVERDUE;
  return v1::BEHIND_REASON_HOURS;
}

}  // namespace

ScopeRequest ScopeFromProto(const v1::StatisticsScope& proto) {
  ScopeRequest request;
  request.organization_id = proto.organization_id();
  if (proto.period_case() == v1::StatisticsScope::kYear) request.year = proto.year();
  if (proto.period_case() == v1::StatisticsScope::kPlanId) request.plan_id = proto.plan_id();
  if (proto.has_as_of()) request.as_of = grpc_util::DayFromProto(proto.as_of());
  if (proto.has_received_by()) request.received_by = grpc_util::TimeFromProto(proto.received_by());
  return request;
}

void ToProto(const ReportStamp& stamp, v1::ReportStamp* proto) {
  grpc_util::SetDate(stamp.as_of, proto->mutable_as_of());
  grpc_util::SetTimestamp(stamp.received_by, proto->mutable_received_by());
  grpc_util::SetTimestamp(stamp.generate_time, proto->mutable_generate_time());
  proto->set_source(static_cast<v1::ReportStamp::Source>(stamp.source));
  proto->set_rollup_lag_ms(stamp.rollup_lag_ms);
  for (const int64_t id : stamp.rules.setting_change_ids) proto->add_setting_change_ids(id);
  for (const auto& [plan, version] : stamp.rules.plan_versions) {
    v1::PlanVersionRef* ref = proto->add_plan_versions();
    ref->set_plan_id(plan);
    ref->set_version(version);
  }
  proto->set_figures_hash(stamp.figures_hash);
}

void ToProto(const OrganizationReport& report, v1::OrganizationStatistics* proto) {
  ToProto(report.stamp, proto->mutable_stamp());
  ToProto(report.figures.organization, report.labels, proto->mutable_organization());
  for (const OrganizationFigures& child : report.figures.children) {
    ToProto(child, report.labels, proto->add_children());
  }
}

void ToProto(const MemberBehindRow& row, v1::MemberBehind* proto) {
  const MemberStanding& m = row.standing;
  proto->set_member_id(m.member_id);
  proto->set_name(row.member.name);
  proto->set_member_number(row.member.member_number);
  proto->set_organization_id(m.organization_id);
  proto->set_organization_name(row.organization_name);
  for (const MemberCategory category : MemberCategoriesFromMask(m.category_mask)) {
    proto->add_categories(static_cast<v1::MemberCategory>(category));
  }
  proto->set_plan_id(row.plan_id);
  proto->set_plan_title(row.plan_title);
  proto->set_reason(ReasonOf(m));
  SetHours(m.required_hundredths, proto->mutable_hours_required());
  SetHours(m.expected_hundredths, proto->mutable_hours_expected());
  SetHours(m.credited_hundredths, proto->mutable_hours_credited());
  SetHours(m.shortfall_hundredths(), proto->mutable_shortfall());
  proto->set_overdue_courses(m.overdue_courses);
  if (m.last_study != absl::InfinitePast()) {
    grpc_util::SetTimestamp(m.last_study, proto->mutable_last_study_time());
  }
}

void ToProto(const MemberDetail& row, v1::MemberStatistics* proto) {
  const MemberStanding& m = row.standing;
  proto->set_member_id(m.member_id);
  proto->set_name(row.member.name);
  proto->set_member_number(row.member.member_number);
  proto->set_organization_id(m.organization_id);
  proto->set_organization_name(row.organization.name);
  proto->set_organization_code(row.organization.code);
  for (const MemberCategory category : MemberCategoriesFromMask(m.category_mask)) {
    proto->add_categories(static_cast<v1::MemberCategory>(category));
  }
  proto->set_in_plan(m.in_plan);
  SetHours(m.required_hundredths, proto->mutable_hours_required());
  SetHours(m.expected_hundredths, proto->mutable_hours_expected());
  SetHours(m.credited_hundredths, proto->mutable_hours_credited());
  for (const auto& [source, hundredths] : row.hours_by_source) {
    v1::HoursBySource* by_source = proto->add_hours_by_source();
    by_source->set_source(static_cast<v1::CreditSource>(source));
    SetHours(hundredths, by_source->mutable_hours());
  }
  proto->set_required_courses(m.required_courses);
  proto->set_completed_courses(m.completed_courses);
  proto->set_overdue_courses(m.overdue_courses);
  proto->set_effective_study_seconds(m.study_ms / 1000);
  if (m.last_study != absl::InfinitePast()) {
    grpc_util::SetTimestamp(m.last_study, proto->mutable_last_study_time());
  }
  proto->set_meets_requirement(m.meets_requirement());
  proto->set_on_track(m.on_track());
  proto->set_behind_reason(m.behind() ? ReasonOf(m) : v1::BEHIND_REASON_UNSPECIFIED);
}

void ToProto(const RankedChild& child, v1::RankedOrganization* proto) {
  proto->set_rank(child.rank);
  proto->set_organization_id(child.organization_id);
  proto->set_name(child.name);
  proto->set_members(child.members);
  proto->set_coverage_permille(child.coverage_permille);
  proto->set_completion_permille(child.completion_permille);
}

void ToProto(const EscalationRow& row, v1::EscalationRow* proto) {
  proto->set_organization_id(row.organization_id);
  proto->set_name(row.name);
  proto->set_members_behind(row.members_behind);
  proto->set_members_overdue(row.members_overdue);
  for (const AdminLabel& admin : row.admins) {
    proto->add_admin_member_ids(admin.member_id);
    proto->add_admin_names(admin.name);
  }
}

void ToProto(const CourseFigures& course, v1::CourseFigures* proto) {
  proto->set_course_id(course.course_id);
  proto->set_title(course.title);
  proto->set_enrolled(course.enrolled);
  proto->set_started(course.started);
  proto->set_completed(course.completed);
  proto->set_average_tenths_of_days_to_complete(course.average_tenths_of_days_to_complete);
  proto->set_drop_off_lesson_id(course.drop_off_lesson_id);
  proto->set_drop_off_lesson_title(course.drop_off_lesson_title);
  proto->set_stopped_at_drop_off(course.stopped_at_drop_off);
}

void ToProto(const ActivityKindFigures& kind, v1::ActivityKindFigures* proto) {
  proto->set_kind(static_cast<v1::ActivityKind>(kind.kind));
  proto->set_held(kind.held);
  proto->set_expected_for_year(kind.expected_for_year);
  proto->set_expected_by_date(kind.expected_by_date);
  proto->set_organizations_behind(kind.organizations_behind);
  proto->set_attendance_permille(Permille(kind.present, kind.targeted));
}

void ToProto(const AssessmentFigures& figures, v1::AssessmentStatistics* proto) {
  proto->set_attempts(figures.attempts);
  proto->set_members_attempted(figures.members_attempted);
  proto->set_members_passed(figures.members_passed);
  proto->set_pass_permille(Permille(figures.members_passed, figures.members_attempted));
  for (size_t i = 0; i < figures.score_buckets.size(); ++i) {
    v1::ScoreBucket* bucket = proto->add_score_distribution();
    bucket->set_from_percent(static_cast<int32_t>(i * 10));
    bucket->set_attempts(figures.score_buckets[i]);
  }
  for (const MissedQuestion& question : figures.most_missed) {
    v1::MissedQuestion* out = proto->add_most_missed();
    out->set_question_id(question.question_id);
    out->set_stem(question.stem);
    out->set_answered(question.answered);
    out->set_right_permille(Permille(question.right, question.answered));
  }
  for (const ContentCategoryFigures& category : figures.content_categories) {
    v1::ContentCategoryFigures* out = proto->add_content_categories();
    out->set_content_category(static_cast<v1::ContentCategory>(category.content_category));
    out->set_answered(category.answered);
    out->set_right_permille(Permille(category.right, category.answered));
  }
}

void ToProto(const MonthFigures& month, v1::MonthFigures* proto) {
  proto->set_month(month.month);
  SetHours(month.hours_credited, proto->mutable_hours_credited());
  proto->set_completions(month.completions);
  proto->set_active_members(month.active_members);
}

}  // namespace lms::statistics
