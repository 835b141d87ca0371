#include "services/assessment/assessment_mapping.h"

#include <map>

#include "common/grpc/proto_time.h"

namespace lms::assessment {
namespace {

using grpc_util::SetTimestamp;
using grpc_util::TimeFromProto;

void KeyToProto(const AnswerKey& key, v1::AnswerKey* proto) {
  for (const int32_t id : key.option_ids) proto->add_correct_option_ids(id);
  proto->set_correct_truth(static_cast<v1::Truth>(key.truth));
  for (const auto& blank : key.blanks) {
    v1::Blank* out = proto->add_blanks();
    for (const std::string& accepted : blank) out->add_accepted(accepted);
  }
  proto->set_explanation(key.explanation);
}

// The drawn question's options in the attempt's order.
void OrderedOptions(const AttemptQuestion& question,
                    google::protobuf::RepeatedPtrField<v1::QuestionOption>* out) {
  std::map<int32_t, const QuestionOption*> by_id;
  for (const QuestionOption& option : question.question.content.options) {
    by_id[option.id] = &option;
  }
  for (const int32_t id : question.option_order) {
    const auto found = by_id.find(id);
    if (found == by_id.end()) continue;
    v1::QuestionOption* option = out->Add();
    option->set_id(id);
    option->set_text(found->second->text);
  }
}

}  // namespace

QuestionContent ContentFromProto(const v1::Question& proto) {
  QuestionContent content;
  content.stem = proto.stem();
  for (const v1::QuestionOption& option : proto.options()) {
    content.options.push_back({option.id(), option.text()});
  }
  content.fixed_option_order = proto.fixed_option_order();
  const v1::AnswerKey& key = proto.key();
  content.key.option_ids.assign(key.correct_option_ids().begin(), key.correct_option_ids().end());
  content.key.truth = static_cast<Truth>(key.correct_truth());
  for (const v1::Blank& blank : key.blanks()) {
    content.key.blanks.emplace_back(blank.accepted().begin(), blank.accepted().end());
  }
  content.key.explanation = key.explanation();
  content.content_category = static_cast<ContentCategory>(proto.content_category());
  content.difficulty = proto.difficulty();
  content.tags.assign(proto.tags().begin(), proto.tags().end());
  content.code = proto.code();
  return content;
}

void ToProto(const Question& question, v1::Question* proto) {
  proto->set_id(question.id);
  proto->set_organization_id(question.organization_id);
  proto->set_type(static_cast<v1::QuestionType>(question.type));
  const QuestionContent& content = question.content;
  proto->set_stem(content.stem);
  for (const QuestionOption& option : content.options) {
    v1::QuestionOption* out = proto->add_options();
    out->set_id(option.id);
    out->set_text(option.text);
  }
  proto->set_fixed_option_order(content.fixed_option_order);
  KeyToProto(content.key, proto->mutable_key());
  proto->set_content_category(static_cast<v1::ContentCategory>(content.content_category));
  proto->set_difficulty(content.difficulty);
  for (const std::string& tag : content.tags) proto->add_tags(tag);
  proto->set_code(content.code);
  proto->set_state(static_cast<v1::QuestionState>(question.state));
  proto->set_version(question.version);
  SetTimestamp(question.create_time, proto->mutable_create_time());
  SetTimestamp(question.update_time, proto->mutable_update_time());
}

PaperSettings SettingsFromProto(const v1::Paper& proto) {
  PaperSettings settings;
  settings.title = proto.title();
  settings.description = proto.description();
  settings.content_category = static_cast<ContentCategory>(proto.content_category());
  settings.fixed_question_ids.assign(proto.fixed_question_ids().begin(),
                                     proto.fixed_question_ids().end());
  for (const v1::DrawRule& rule : proto.draw_rules()) {
    settings.draw_rules.push_back({static_cast<QuestionType>(rule.type()),
                                   static_cast<ContentCategory>(rule.content_category()),
                                   rule.difficulty(), rule.count()});
  }
  settings.shuffle_questions = proto.shuffle_questions();
  for (const v1::TypePoints& points : proto.type_points()) {
    // A type named twice keeps its last points (validation cannot see a map's repeats;
    // the proto's repeated field is the client's to keep tidy).
    settings.type_points[static_cast<QuestionType>(points.type())] = points.points();
  }
  settings.pass_points = proto.pass_points();
  settings.partial_credit = proto.partial_credit();
  settings.time_limit_seconds = proto.time_limit_seconds();
  settings.grace_seconds = proto.grace_seconds();
  settings.max_attempts = proto.max_attempts();
  settings.open_time = TimeFromProto(proto.open_time());
  settings.close_time = TimeFromProto(proto.close_time());
  settings.score_policy = static_cast<ScorePolicy>(proto.score_policy());
  settings.review_policy = static_cast<ReviewPolicy>(proto.review_policy());
  return settings;
}

void ToProto(const Paper& paper, bool for_admin, v1::Paper* proto) {
  const PaperSettings& s = paper.settings;
  proto->set_id(paper.id);
  proto->set_organization_id(paper.organization_id);
  proto->set_kind(static_cast<v1::PaperKind>(paper.kind));
  proto->set_title(s.title);
  proto->set_description(s.description);
  proto->set_content_category(static_cast<v1::ContentCategory>(s.content_category));
  proto->set_course_id(paper.course_id);
  proto->set_plan_id(paper.plan_id);
  proto->set_state(static_cast<v1::PaperState>(paper.state));
  proto->set_version(paper.version);
  if (for_admin) {
    for (const int64_t id : s.fixed_question_ids) proto->add_fixed_question_ids(id);
    for (const DrawRule& rule : s.draw_rules) {
      v1::DrawRule* out = proto->add_draw_rules();
      out->set_type(static_cast<v1::QuestionType>(rule.type));
      out->set_content_category(static_cast<v1::ContentCategory>(rule.content_category));
      out->set_difficulty(rule.difficulty);
      out->set_count(rule.count);
    }
  }
  proto->set_shuffle_questions(s.shuffle_questions);
  for (const auto& [type, points] : s.type_points) {
    v1::TypePoints* out = proto->add_type_points();
    out->set_type(static_cast<v1::QuestionType>(type));
    out->set_points(points);
  }
  proto->set_total_points(paper.total_points);
  proto->set_pass_points(s.pass_points);
  proto->set_partial_credit(s.partial_credit);
  proto->set_time_limit_seconds(s.time_limit_seconds);
  proto->set_grace_seconds(s.grace_seconds);
  proto->set_max_attempts(s.max_attempts);
  SetTimestamp(s.open_time, proto->mutable_open_time());
  SetTimestamp(s.close_time, proto->mutable_close_time());
  proto->set_score_policy(static_cast<v1::ScorePolicy>(s.score_policy));
  proto->set_review_policy(static_cast<v1::ReviewPolicy>(s.review_policy));
  proto->mutable_hours()->set_hundredths(paper.hours_hundredths);
  proto->set_created_by(paper.created_by);
  SetTimestamp(paper.create_time, proto->mutable_create_time());
  SetTimestamp(paper.update_time, proto->mutable_update_time());
  SetTimestamp(paper.publish_time, proto->mutable_publish_time());
}

void ToProto(const StandingView& view, v1::PaperStanding* proto) {
  const Standing& standing = view.standing;
  proto->set_attempts_used(standing.attempts_started);
  proto->set_attempts_left(view.attempts_left);
  proto->set_open_attempt_id(standing.open_attempt_id);
  proto->set_result_attempt_id(standing.result_attempt_id);
  proto->set_result_points(standing.result_points);
  proto->set_passed(standing.passed);
  proto->set_extra_attempts(standing.extra_attempts);
  proto->set_extra_seconds(standing.extra_seconds);
}

void ToProto(int64_t question_id, const Answer& answer, v1::Answer* proto) {
  proto->set_question_id(question_id);
  for (const int32_t id : answer.option_ids) proto->add_option_ids(id);
  proto->set_truth(static_cast<v1::Truth>(answer.truth));
  for (const std::string& blank : answer.blanks) proto->add_blanks(blank);
}

Answer AnswerFromProto(const v1::Answer& proto) {
  Answer answer;
  answer.option_ids.assign(proto.option_ids().begin(), proto.option_ids().end());
  answer.truth = static_cast<Truth>(proto.truth());
  answer.blanks.assign(proto.blanks().begin(), proto.blanks().end());
  return answer;
}

AnswerSet AnswersFromProto(const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  AnswerSet set;
  set.reserve(answers.size());
  for (const v1::Answer& answer : answers) {
    set.emplace_back(answer.question_id(), AnswerFromProto(answer));
  }
  return set;
}

void ToProto(const Attempt& attempt, absl::Time now, v1::Attempt* proto) {
  proto->set_id(attempt.id);
  proto->set_paper_id(attempt.paper_id);
  proto->set_member_id(attempt.member_id);
  proto->set_number(attempt.number);
  proto->set_state(static_cast<v1::AttemptState>(attempt.state));
  proto->set_paper_kind(static_cast<v1::PaperKind>(attempt.paper_kind));
  proto->set_paper_version(attempt.paper_version);
  for (const AttemptQuestion& question : attempt.questions) {
    v1::AttemptQuestion* out = proto->add_questions();
    out->set_index(question.position);
    out->set_question_id(question.question_id);
    out->set_question_version(question.question_version);
    out->set_type(static_cast<v1::QuestionType>(question.question.type));
    out->set_stem(question.question.content.stem);
    OrderedOptions(question, out->mutable_options());
    out->set_blank_count(static_cast<int32_t>(question.question.content.key.blanks.size()));
    out->set_points(question.points);
    if (question.answer.has_value()) {
      ToProto(question.question_id, *question.answer, proto->add_saved_answers());
    }
    if (question.feedback_shown) ToProto(question, true, proto->add_feedback());
  }
  proto->set_save_sequence(attempt.save_sequence);
  SetTimestamp(attempt.start_time, proto->mutable_start_time());
  SetTimestamp(attempt.deadline, proto->mutable_deadline());
  proto->set_grace_seconds(attempt.grace_seconds);
  SetTimestamp(now, proto->mutable_server_time());
  proto->set_total_points(attempt.total_points);
  proto->set_pass_points(attempt.pass_points);
  if (attempt.lease.has_value()) {
    const ExamLease& lease = *attempt.lease;
    v1::KioskExamLeaseState* out = proto->mutable_lease();
    out->set_kiosk_id(lease.kiosk_id);
    out->set_status(static_cast<v1::KioskExamLeaseStatus>(lease.status));
    SetTimestamp(lease.window_end, out->mutable_window_end());
    SetTimestamp(lease.upload_due, out->mutable_upload_due());
    SetTimestamp(lease.exam_start_time, out->mutable_exam_start_time());
    SetTimestamp(lease.upload_time, out->mutable_upload_time());
  }
}

void ToProto(const AttemptQuestion& question, bool review, v1::QuestionResult* proto) {
  proto->set_index(question.position);
  proto->set_question_id(question.question_id);
  proto->set_question_version(question.question_version);
  proto->set_type(static_cast<v1::QuestionType>(question.question.type));
  proto->set_points(question.points);
  if (!review) return;
  // Correctness is part of the review: without it, a member could map which answers were
  // right across attempts of a paper whose keys are never shown.
  proto->set_points_awarded(question.points_awarded);
  proto->set_correct(question.correct);
  if (question.answer.has_value()) {
    ToProto(question.question_id, *question.answer, proto->mutable_answer());
  }
  proto->set_stem(question.question.content.stem);
  OrderedOptions(question, proto->mutable_options());
  KeyToProto(question.question.content.key, proto->mutable_key());
}

void ToProto(const ResultView& view, v1::AttemptResult* proto) {
  const Attempt& attempt = view.attempt;
  proto->set_attempt_id(attempt.id);
  proto->set_paper_id(attempt.paper_id);
  proto->set_member_id(attempt.member_id);
  proto->set_number(attempt.number);
  proto->set_points(attempt.points);
  proto->set_total_points(attempt.total_points);
  proto->set_pass_points(attempt.pass_points);
  proto->set_passed(attempt.passed);
  SetTimestamp(attempt.start_time, proto->mutable_start_time());
  SetTimestamp(attempt.submit_time, proto->mutable_submit_time());
  proto->set_graded_by_server(attempt.graded_by_server);
  proto->set_late_answers_refused(attempt.late_answers_refused);
  proto->mutable_hours_credited()->set_hundredths(attempt.hours_credited);
  proto->set_review_shown(view.review_shown);
  SetTimestamp(view.review_time, proto->mutable_review_time());
  for (const AttemptQuestion& question : attempt.questions) {
    ToProto(question, view.review_shown, proto->add_questions());
  }
}

void ToProto(const Attempt& attempt, v1::AttemptSummary* proto) {
  proto->set_id(attempt.id);
  proto->set_number(attempt.number);
  proto->set_state(static_cast<v1::AttemptState>(attempt.state));
  SetTimestamp(attempt.start_time, proto->mutable_start_time());
  SetTimestamp(attempt.deadline, proto->mutable_deadline());
  SetTimestamp(attempt.submit_time, proto->mutable_submit_time());
  proto->set_points(attempt.points);
  proto->set_total_points(attempt.total_points);
  proto->set_passed(attempt.passed);
  proto->set_graded_by_server(attempt.graded_by_server);
  proto->set_leased(attempt.leased);
}

}  // namespace lms::assessment
