#include "services/progress/progress_mapping.h"

#include "common/grpc/proto_time.h"

namespace lms::progress {

using grpc_util::SetTimestamp;
using grpc_util::TimeFromProto;

namespace {

std::vector<ProgressEvent> EventsFrom(
    const google::protobuf::RepeatedPtrField<v1::ProgressEvent>& protos) {
  std::vector<ProgressEvent> events;
  events.reserve(protos.size());
  for (const v1::ProgressEvent& proto : protos) {
    ProgressEvent event;
    event.event_id = proto.event_id();
    event.lesson_id = proto.lesson_id();
    event.occur_time = TimeFromProto(proto.occur_time());
    event.sent_time = TimeFromProto(proto.sent_time());
    event.from_position = proto.from_position();
    event.to_position = proto.to_position();
    event.active_seconds = proto.active_seconds();
    event.device_id = proto.device_id();
    event.sequence = proto.sequence();
    events.push_back(std::move(event));
  }
  return events;
}

void ToProto(const EventResult& result, v1::EventResult* out) {
  out->set_event_id(result.event_id);
  out->set_outcome(static_cast<v1::EventOutcome>(result.outcome));
  out->set_rejection(static_cast<v1::EventRejection>(result.rejection));
  out->set_detail(result.detail);
  out->set_credited_seconds(static_cast<int32_t>(result.credited_ms / 1000));
  out->set_pending_reason(static_cast<v1::PendingReason>(result.pending_reason));
  out->set_pending_id(result.pending_id);
}

// The results, lessons and completions of an outcome, into any reply that has them.
template <typename Reply>
void OutcomeToProto(const RecordOutcome& outcome, Reply* proto) {
  for (const EventResult& result : outcome.results) ToProto(result, proto->add_results());
  for (const LessonProgress& lesson : outcome.lessons) ToProto(lesson, proto->add_lessons());
  for (const int64_t course_id : outcome.completed_course_ids) {
    proto->add_completed_course_ids(course_id);
  }
}

}  // namespace

std::vector<ProgressEvent> EventsFromProto(const v1::RecordProgressRequest& request) {
  return EventsFrom(request.events());
}

std::vector<MemberUpload> UploadsFromProto(const v1::SyncKioskProgressRequest& request) {
  std::vector<MemberUpload> uploads;
  uploads.reserve(request.uploads_size());
  for (const v1::MemberUpload& proto : request.uploads()) {
    MemberUpload upload;
    upload.member_id = proto.member_id();
    upload.member_number = proto.member_number();
    upload.evidence = EvidenceFromProto(proto.evidence());
    upload.events = EventsFrom(proto.events());
    uploads.push_back(std::move(upload));
  }
  return uploads;
}

void ToProto(const RecordOutcome& outcome, v1::RecordProgressResponse* proto) {
  OutcomeToProto(outcome, proto);
}

void ToProto(const PendingRecord& row, v1::PendingEvent* proto) {
  proto->set_pending_id(row.id);
  v1::ProgressEvent* event = proto->mutable_event();
  event->set_event_id(row.event.event_id);
  event->set_lesson_id(row.event.lesson_id);
  SetTimestamp(row.event.occur_time, event->mutable_occur_time());
  SetTimestamp(row.event.sent_time, event->mutable_sent_time());
  event->set_from_position(row.event.from_position);
  event->set_to_position(row.event.to_position);
  event->set_active_seconds(row.event.active_seconds);
  event->set_device_id(row.event.device_id);
  event->set_sequence(row.event.sequence);
  proto->set_kiosk_id(row.kiosk_id);
  proto->set_evidence_kind(static_cast<v1::EvidenceKind>(row.evidence_kind));
  proto->set_reason(static_cast<v1::PendingReason>(row.reason));
  SetTimestamp(row.receive_time, proto->mutable_receive_time());
  proto->set_state(static_cast<v1::PendingState>(row.state));
  if (row.state != PendingRecord::kWaiting) {
    proto->set_decided_by_member_id(row.decided_by);
    SetTimestamp(row.decide_time, proto->mutable_decide_time());
    proto->set_decision_reason(row.decision_reason);
  }
  if (row.state == PendingRecord::kConfirmed) ToProto(row.result, proto->mutable_result());
}

void ToProto(const MemberSyncOutcome& outcome, v1::MemberSyncResult* proto) {
  proto->set_member_id(outcome.member_id);
  OutcomeToProto(outcome.outcome, proto);
  proto->set_checkpoint(outcome.checkpoint);
}

void ToProto(const LessonProgress& lesson, v1::LessonProgress* proto) {
  proto->set_lesson_id(lesson.lesson_id);
  proto->set_course_id(lesson.course_id);
  proto->set_last_position(lesson.last_position);
  SetTimestamp(lesson.last_time, proto->mutable_last_study_time());
  proto->set_last_device_id(lesson.last_device_id);
  proto->set_covered_permille(lesson.covered_permille);
  proto->set_credited_seconds(static_cast<int32_t>(lesson.credited_ms / 1000));
  proto->set_completed(lesson.completion_time.has_value());
  if (lesson.completion_time.has_value()) {
    SetTimestamp(*lesson.completion_time, proto->mutable_completion_time());
  }
  proto->set_checkpoint(lesson.checkpoint);
}

void ToProto(const CourseView& view, v1::CourseProgress* proto) {
  proto->set_member_id(view.member_id);
  proto->set_course_id(view.course_id);
  for (const LessonView& lesson : view.lessons) {
    v1::LessonProgress* out = proto->add_lessons();
    if (lesson.progress.has_value()) {
      ToProto(*lesson.progress, out);
    } else {
      out->set_lesson_id(lesson.lesson.lesson_id);
      out->set_course_id(lesson.lesson.course_id);
    }
  }
  proto->set_resume_lesson_id(view.resume_lesson_id);
  proto->mutable_credited_hours()->set_hundredths(view.credited_hundredths);
  // The course's study time is its lessons'.
  int64_t credited_ms = 0;
  for (const LessonView& lesson : view.lessons) {
    if (lesson.progress.has_value()) credited_ms += lesson.progress->credited_ms;
  }
  proto->set_credited_seconds(static_cast<int32_t>(credited_ms / 1000));
  if (!view.course.has_value()) return;
  const CourseProgress& course = *view.course;
  proto->set_completed(course.completed());
  if (course.completion_time.has_value()) {
    SetTimestamp(*course.completion_time, proto->mutable_completion_time());
  }
  proto->set_completion_kind(static_cast<v1::CompletionKind>(course.completion_kind));
  proto->set_waiver_reason(course.waiver_reason);
}

void ToProto(const CourseView& view, v1::CompletionExplanation* proto) {
  proto->set_member_id(view.member_id);
  proto->set_course_id(view.course_id);
  proto->set_rule_version(view.rule_version);
  if (view.course.has_value()) {
    proto->set_completed(view.course->completed());
    proto->set_completion_kind(static_cast<v1::CompletionKind>(view.course->completion_kind));
  }
  for (const LessonView& lesson : view.lessons) {
    v1::LessonRequirement* out = proto->add_lessons();
    out->set_lesson_id(lesson.lesson.lesson_id);
    out->set_title(lesson.lesson.title);
    out->set_rule(static_cast<v1::CompletionRule>(lesson.check.rule));
    out->set_needed(lesson.check.needed);
    out->set_achieved(lesson.check.achieved);
    const bool completed =
        lesson.progress.has_value() && lesson.progress->completion_time.has_value();
    out->set_completed(completed);
    // A lesson's stored figures carry the rules they were computed with; an untouched
    // lesson is measured by today's.
    out->set_rule_version(lesson.progress.has_value() ? lesson.progress->rule_version
                                                      : view.rule_version);
  }
}

void ToProto(const HoursSummaryView& view, v1::HoursSummary* proto) {
  proto->set_member_id(view.member_id);
  proto->set_year(view.year);
  proto->mutable_required()->set_hundredths(view.required_hundredths);
  proto->mutable_earned()->set_hundredths(view.hours.earned_hundredths);
  for (const auto& [source, hundredths] : view.hours.by_source) {
    v1::HoursBySource* out = proto->add_by_source();
    out->set_source(static_cast<v1::CreditSource>(source));
    out->mutable_hours()->set_hundredths(hundredths);
  }
  for (const auto& [category, hundredths] : view.hours.by_category) {
    v1::HoursByCategory* out = proto->add_by_category();
    out->set_content_category(static_cast<v1::ContentCategory>(category));
    out->mutable_hours()->set_hundredths(hundredths);
  }
  proto->set_effective_study_seconds(view.hours.effective_study_ms / 1000);
  proto->set_required_courses(view.required_courses);
  proto->set_required_courses_completed(view.required_courses_completed);
}

void ToProto(const HoursCredit& credit, v1::HoursCredit* proto) {
  proto->set_id(credit.id);
  proto->set_member_id(credit.member_id);
  proto->set_source(static_cast<v1::CreditSource>(credit.source));
  proto->set_source_id(credit.source_id);
  proto->set_title(credit.title);
  proto->set_year(credit.year);
  proto->set_hundredths(credit.hundredths);
  proto->set_content_category(static_cast<v1::ContentCategory>(credit.content_category));
  proto->set_rule_version(credit.rule_version);
  proto->set_actor_member_id(credit.actor_member_id);
  proto->set_reason(credit.reason);
  SetTimestamp(credit.happen_time, proto->mutable_happen_time());
  SetTimestamp(credit.record_time, proto->mutable_record_time());
  proto->set_reverses_credit_id(credit.reverses_credit_id);
  proto->set_reversed_by_credit_id(credit.reversed_by_credit_id);
}

GrantInput GrantFromProto(const v1::GrantHoursCreditRequest& request) {
  GrantInput input;
  input.member_id = request.member_id();
  input.hundredths = request.hours().hundredths();
  input.happen_date = grpc_util::DayFromProto(request.happen_date());
  input.content_category = request.content_category();
  input.title = request.title();
  input.reason = request.reason();
  return input;
}

UploadedEvidence EvidenceFromProto(const v1::OfflineEvidence& proto) {
  UploadedEvidence evidence;
  switch (proto.kind_case()) {
    case v1::OfflineEvidence::kKioskTicket:
      evidence.kind = EvidenceKind::kKioskTicket;
      evidence.text = proto.kiosk_ticket();
      break;
    case v1::OfflineEvidence::kPhoneIdentification:
      evidence.kind = EvidenceKind::kPhoneIdentification;
      evidence.text = proto.phone_identification();
      break;
    case v1::OfflineEvidence::kKioskClaim:
      evidence.kind = EvidenceKind::kKioskClaim;
      evidence.pin_checked = proto.kiosk_claim().pin_checked();
      break;
    case v1::OfflineEvidence::KIND_NOT_SET:
      break;
  }
  return evidence;
}

}  // namespace lms::progress
