#include "services/enrollment/enrollment_mapping.h"

#include "common/grpc/proto_time.h"

namespace lms::enrollment {
namespace {

using grpc_util::DayFromProto;
using grpc_util::SetDate;
using grpc_util::SetTimestamp;

// A required date left unset maps to year 1, which the range checks refuse by name.
absl::CivilDay RequiredDay(const v1::Date& date) {
  return DayFromProto(date).value_or(absl::CivilDay(1, 1, 1));
}

void SetOptionalDate(const std::optional<absl::CivilDay>& day, v1::Date* proto) {
  if (day.has_value()) SetDate(*day, proto);
}

}  // namespace

TrainingPlan PlanFromProto(const v1::TrainingPlan& proto) {
  TrainingPlan plan;
  plan.id = proto.id();
  plan.organization_id = proto.organization_id();
  plan.year = proto.year();
  plan.title = proto.title();
  plan.goals = proto.goals();
  plan.start_date = DayFromProto(proto.start_date());
  plan.end_date = DayFromProto(proto.end_date());
  for (const int form : proto.forms()) plan.forms.push_back(static_cast<TrainingForm>(form));
  for (const v1::CategoryRequirement& r : proto.requirements()) {
    CategoryRequirement requirement;
    requirement.category = static_cast<MemberCategory>(r.category());
    if (r.has_required_hours()) requirement.required_hundredths = r.required_hours().hundredths();
    for (const v1::RequiredCourse& course : r.required_courses()) {
      requirement.required_courses.push_back({course.course_id(), RequiredDay(course.due_date())});
    }
    requirement.recommended_course_ids.assign(r.recommended_course_ids().begin(),
                                              r.recommended_course_ids().end());
    plan.requirements.push_back(std::move(requirement));
  }
  for (const v1::ScheduleItem& s : proto.schedule()) {
    ScheduleItem item;
    item.date = RequiredDay(s.date());
    item.title = s.title();
    item.form = static_cast<TrainingForm>(s.form());
    item.content_category = static_cast<ContentCategory>(s.content_category());
    plan.schedule.push_back(std::move(item));
  }
  return plan;
}

void ToProto(const TrainingPlan& plan, bool with_content, v1::TrainingPlan* proto) {
  proto->set_id(plan.id);
  proto->set_organization_id(plan.organization_id);
  proto->set_year(plan.year);
  proto->set_title(plan.title);
  proto->set_goals(plan.goals);
  SetOptionalDate(plan.start_date, proto->mutable_start_date());
  SetOptionalDate(plan.end_date, proto->mutable_end_date());
  for (const TrainingForm form : plan.forms) {
    proto->add_forms(static_cast<v1::TrainingForm>(form));
  }
  if (with_content) {
    for (const CategoryRequirement& requirement : plan.requirements) {
      v1::CategoryRequirement* r = proto->add_requirements();
      r->set_category(static_cast<v1::MemberCategory>(requirement.category));
      if (requirement.required_hundredths.has_value()) {
        r->mutable_required_hours()->set_hundredths(*requirement.required_hundredths);
      }
      for (const RequiredCourse& course : requirement.required_courses) {
        v1::RequiredCourse* c = r->add_required_courses();
        c->set_course_id(course.course_id);
        SetDate(course.due_date, c->mutable_due_date());
      }
      for (const int64_t id : requirement.recommended_course_ids) r->add_recommended_course_ids(id);
    }
    for (const ScheduleItem& item : plan.schedule) {
      v1::ScheduleItem* s = proto->add_schedule();
      SetDate(item.date, s->mutable_date());
      s->set_title(item.title);
      s->set_form(static_cast<v1::TrainingForm>(item.form));
      s->set_content_category(static_cast<v1::ContentCategory>(item.content_category));
    }
  }
  proto->set_state(static_cast<v1::PlanState>(plan.state));
  proto->set_version(plan.version);
  proto->set_published_version(plan.published_version);
  v1::PlanAssignment* assignment = proto->mutable_assignment();
  assignment->set_state(static_cast<v1::PlanAssignment::State>(plan.assignment.state));
  assignment->set_members_targeted(static_cast<int32_t>(plan.assignment.members_targeted));
  assignment->set_members_assigned(static_cast<int32_t>(plan.assignment.members_assigned));
  assignment->set_enrollments_created(plan.assignment.enrollments_created);
  SetTimestamp(plan.assignment.start_time, assignment->mutable_start_time());
  SetTimestamp(plan.assignment.finish_time, assignment->mutable_finish_time());
  SetTimestamp(plan.create_time, proto->mutable_create_time());
  SetTimestamp(plan.update_time, proto->mutable_update_time());
  SetTimestamp(plan.publish_time, proto->mutable_publish_time());
  SetTimestamp(plan.close_time, proto->mutable_close_time());
}

void ToProto(const PlanVersionInfo& version, v1::PlanVersion* proto) {
  proto->set_published_version(version.published_version);
  SetOptionalDate(version.effective_date, proto->mutable_effective_date());
  proto->set_change_reason(version.change_reason);
  proto->set_changed_by(version.changed_by);
  SetTimestamp(version.change_time, proto->mutable_change_time());
}

void ToProto(const Enrollment& enrollment, v1::Enrollment* proto) {
  proto->set_id(enrollment.id);
  proto->set_member_id(enrollment.member_id);
  proto->set_course_id(enrollment.course_id);
  proto->set_required(enrollment.required);
  SetOptionalDate(enrollment.due_date, proto->mutable_due_date());
  for (const EnrollmentReason& reason : enrollment.reasons) {
    v1::EnrollmentReason* r = proto->add_reasons();
    r->set_kind(static_cast<v1::EnrollmentReason::Kind>(reason.kind));
    r->set_plan_id(reason.plan_id);
    r->set_organization_id(reason.organization_id);
    r->set_category(static_cast<v1::MemberCategory>(reason.category));
    r->set_assigned_by(reason.assigned_by);
    SetOptionalDate(reason.due_date, r->mutable_due_date());
    SetTimestamp(reason.since, r->mutable_since());
  }
  proto->set_state(static_cast<v1::EnrollmentState>(enrollment.state));
  proto->set_state_reason(enrollment.state_reason);
  proto->set_state_changed_by(enrollment.state_changed_by);
  SetTimestamp(enrollment.state_change_time, proto->mutable_state_change_time());
  SetTimestamp(enrollment.enroll_time, proto->mutable_enroll_time());
}

void ToProto(const MyLearningView& view, v1::MyLearning* proto) {
  proto->set_member_id(view.member_id);
  for (const LearningRow& row : view.items) {
    v1::LearningItem* item = proto->add_items();
    item->set_enrollment_id(row.entry.enrollment_id);
    item->set_course_id(row.entry.course_id);
    item->set_title(row.title);
    item->mutable_study_hours()->set_hundredths(row.study_hundredths);
    item->set_required(row.entry.required);
    SetOptionalDate(row.entry.due_date, item->mutable_due_date());
    item->set_state(static_cast<v1::EnrollmentState>(row.entry.state));
  }
  v1::HoursRequirement* hours = proto->mutable_hours();
  hours->set_year(view.year);
  hours->mutable_required_hours()->set_hundredths(view.hours.hundredths);
  hours->set_plan_id(view.hours.plan_id);
  hours->set_category(static_cast<v1::MemberCategory>(view.hours.category));
  hours->set_pro_rata(view.hours.pro_rata);
  proto->mutable_earned_hours()->set_hundredths(view.year_hours.earned_hundredths);
  proto->set_effective_study_seconds(view.year_hours.effective_study_ms / 1000);
  proto->set_pending_progress_events(static_cast<int32_t>(view.pending_progress_events));
  for (const RecommendedRow& row : view.recommended) {
    v1::RecommendedCourse* course = proto->add_recommended();
    course->set_course_id(row.course_id);
    course->set_title(row.title);
    course->mutable_study_hours()->set_hundredths(row.study_hundredths);
    course->set_plan_id(row.plan_id);
  }
}

EnrollMembersInput EnrollMembersFromProto(const v1::EnrollMembersRequest& request) {
  EnrollMembersInput input;
  input.course_id = request.course_id();
  if (request.has_members()) {
    input.by_numbers = true;
    input.member_numbers.assign(request.members().member_numbers().begin(),
                                request.members().member_numbers().end());
  } else {
    input.subtree_organization_id = request.subtree().organization_id();
    for (const int category : request.subtree().categories()) {
      input.categories.push_back(static_cast<MemberCategory>(category));
    }
  }
  if (request.has_due_date()) input.due_date = RequiredDay(request.due_date());
  return input;
}

void ToProto(const EnrollMembersResult& result, v1::EnrollMembersResponse* proto) {
  proto->set_enrolled(static_cast<int32_t>(result.enrolled));
  proto->set_already_enrolled(static_cast<int32_t>(result.already_enrolled));
  for (const NumberError& error : result.errors) {
    v1::MemberNumberError* e = proto->add_errors();
    e->set_member_number(error.member_number);
    e->set_problem(static_cast<v1::MemberNumberError::Problem>(error.problem));
    e->set_reason(error.reason);
  }
}

}  // namespace lms::enrollment
