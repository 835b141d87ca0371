#include "services/course/course_mapping.h"

#include "common/grpc/proto_time.h"

namespace lms::course {
namespace {

using grpc_util::SetTimestamp;

Lesson LessonFromProto(const v1::Lesson& proto) {
  Lesson lesson;
  lesson.id = proto.id();
  lesson.title = proto.title();
  switch (proto.kind_case()) {
    case v1::Lesson::kArticle:
      lesson.kind = LessonKind::kArticle;
      lesson.article_html = proto.article().html();
      break;
    case v1::Lesson::kVideo:
      lesson.kind = LessonKind::kVideo;
      lesson.url = proto.video().url();
      lesson.duration_seconds = proto.video().duration_seconds();
      break;
    case v1::Lesson::kAudio:
      lesson.kind = LessonKind::kAudio;
      lesson.url = proto.audio().url();
      lesson.duration_seconds = proto.audio().duration_seconds();
      break;
    case v1::Lesson::kDocument:
      lesson.kind = LessonKind::kDocument;
      lesson.url = proto.document().url();
      lesson.page_count = proto.document().page_count();
      break;
    case v1::Lesson::KIND_NOT_SET:
      lesson.kind = LessonKind::kUnspecified;
      break;
  }
  return lesson;
}

void LessonToProto(const Lesson& lesson, v1::Lesson* proto) {
  proto->set_id(lesson.id);
  proto->set_title(lesson.title);
  switch (lesson.kind) {
    case LessonKind::kArticle:
      proto->mutable_article()->set_html(lesson.article_html);
      proto->set_article_length(lesson.article_length);
      break;
    case LessonKind::kVideo:
      proto->mutable_video()->set_url(lesson.url);
      proto->mutable_video()->set_duration_seconds(lesson.duration_seconds);
      break;
    case LessonKind::kAudio:
      proto->mutable_audio()->set_url(lesson.url);
      proto->mutable_audio()->set_duration_seconds(lesson.duration_seconds);
      break;
    case LessonKind::kDocument:
      proto->mutable_document()->set_url(lesson.url);
      proto->mutable_document()->set_page_count(lesson.page_count);
      break;
    case LessonKind::kUnspecified:
      break;
  }
}

}  // namespace

Course CourseFromProto(const v1::Course& proto) {
  Course course;
  course.id = proto.id();
  course.title = proto.title();
  course.summary = proto.summary();
  course.cover_url = proto.cover_url();
  course.content_category = static_cast<ContentCategory>(proto.content_category());
  for (const int category : proto.audience()) {
    course.audience.push_back(static_cast<MemberCategory>(category));
  }
  course.study_hours_centi = proto.study_hours().hundredths();
  course.tags.assign(proto.tags().begin(), proto.tags().end());
  for (const v1::Lesson& lesson : proto.lessons()) {
    course.lessons.push_back(LessonFromProto(lesson));
  }
  return course;
}

// The fields a course and its summary share (the same numbers and meaning in both).
template <typename CourseProto>
void SetSharedFields(const Course& course, CourseProto* proto) {
  proto->set_id(course.id);
  proto->set_title(course.title);
  proto->set_summary(course.summary);
  proto->set_cover_url(course.cover_url);
  proto->set_content_category(static_cast<v1::ContentCategory>(course.content_category));
  for (const MemberCategory category : course.audience) {
    proto->add_audience(static_cast<v1::MemberCategory>(category));
  }
  proto->mutable_study_hours()->set_hundredths(course.study_hours_centi);
  for (const std::string& tag : course.tags) proto->add_tags(tag);
  proto->set_state(static_cast<v1::CourseState>(course.state));
  proto->set_version(course.version);
  proto->set_learner_count(course.learner_count);
  if (course.publish_time != absl::InfinitePast()) {
    SetTimestamp(course.publish_time, proto->mutable_publish_time());
  }
}

void ToProto(const Course& course, v1::Course* proto) {
  SetSharedFields(course, proto);
  for (const Lesson& lesson : course.lessons) LessonToProto(lesson, proto->add_lessons());
  SetTimestamp(course.create_time, proto->mutable_create_time());
  SetTimestamp(course.update_time, proto->mutable_update_time());
}

void ToSummaryProto(const Course& course, v1::CourseSummary* proto) {
  SetSharedFields(course, proto);
  proto->set_lesson_count(static_cast<int32_t>(course.lessons.size()));
}

void ToProto(const LessonContent& content, v1::LessonContent* proto) {
  proto->set_lesson_id(content.lesson.id);
  proto->set_course_id(content.course_id);
  proto->set_course_version(content.course_version);
  LessonToProto(content.lesson, proto->mutable_lesson());
}

}  // namespace lms::course
