#include "services/course/course_handler.h"

#include "services/course/course_mapping.h"

namespace lms::course {
namespace {

// Writes a course result into the response, passing the status through.
absl::Status Respond(const absl::StatusOr<Course>& course, v1::Course* response) {
  if (course.ok()) ToProto(*course, response);
  return course.status();
}

}  // namespace

void CourseHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("CreateCourse", *this, &CourseHandler::CreateCourse);
  rpcs.Blocking("UpdateCourse", *this, &CourseHandler::UpdateCourse);
  rpcs.Blocking("PublishCourse", *this, &CourseHandler::PublishCourse);
  rpcs.Blocking("ArchiveCourse", *this, &CourseHandler::ArchiveCourse);
  rpcs.Inline("GetCourse", *this, &CourseHandler::GetCourse);
  rpcs.Inline("ListCourses", *this, &CourseHandler::ListCourses);
  rpcs.Blocking("GetLessonContent", *this, &CourseHandler::GetLessonContent);
  rpcs.Inline("ListCatalogueChanges", *this, &CourseHandler::ListCatalogueChanges);
}

absl::Status CourseHandler::CreateCourse(const call::CallContext& call,
                                         const v1::CreateCourseRequest& request,
                                         v1::Course* response) const {
  return Respond(service_.CreateCourse(call, CourseFromProto(request.course())), response);
}

absl::Status CourseHandler::UpdateCourse(const call::CallContext& call,
                                         const v1::UpdateCourseRequest& request,
                                         v1::Course* response) const {
  return Respond(
      service_.UpdateCourse(call, CourseFromProto(request.course()), request.expected_version()),
      response);
}

absl::Status CourseHandler::PublishCourse(const call::CallContext& call,
                                          const v1::ChangeCourseStateRequest& request,
                                          v1::Course* response) const {
  return Respond(service_.PublishCourse(call, request.course_id(), request.expected_version()),
                 response);
}

absl::Status CourseHandler::ArchiveCourse(const call::CallContext& call,
                                          const v1::ChangeCourseStateRequest& request,
                                          v1::Course* response) const {
  return Respond(service_.ArchiveCourse(call, request.course_id(), request.expected_version()),
                 response);
}

absl::Status CourseHandler::GetCourse(const call::CallContext& call,
                                      const v1::GetCourseRequest& request,
                                      v1::GetCourseResponse* response) const {
  const absl::StatusOr<CourseLookup> lookup =
      service_.GetCourse(call.caller, request.course_id(), request.known_version());
  if (!lookup.ok()) return lookup.status();
  response->set_version(lookup->version);
  response->set_not_modified(lookup->not_modified);
  if (lookup->course != nullptr) ToProto(*lookup->course, response->mutable_course());
  return absl::OkStatus();
}

absl::Status CourseHandler::ListCourses(const call::CallContext& call,
                                        const v1::ListCoursesRequest& request,
                                        v1::ListCoursesResponse* response) const {
  ListCoursesInput input;
  input.page_size = request.page_size();
  input.page_token = request.page_token();
  input.content_category = request.content_category();
  input.audience = request.audience();
  input.tag = request.tag();
  input.query = request.query();
  input.order = request.order_by();
  input.state = request.state();
  const absl::StatusOr<CourseListPage> page = service_.ListCourses(call.caller, input);
  if (!page.ok()) return page.status();
  for (const CoursePtr& course : page->courses) ToSummaryProto(*course, response->add_courses());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status CourseHandler::GetLessonContent(const call::CallContext& call,
                                             const v1::GetLessonContentRequest& request,
                                             v1::LessonContent* response) const {
  const absl::StatusOr<LessonContent> content =
      service_.GetLessonContent(call, request.lesson_id());
  if (content.ok()) ToProto(*content, response);
  return content.status();
}

absl::Status CourseHandler::ListCatalogueChanges(const call::CallContext& call,
                                                 const v1::ListCatalogueChangesRequest& request,
                                                 v1::ListCatalogueChangesResponse* response) const {
  const absl::StatusOr<CatalogueChanges> changes =
      service_.ListCatalogueChanges(call.caller, request.since_generation(), request.page_size());
  if (!changes.ok()) return changes.status();
  for (const CoursePtr& course : changes->courses) {
    auto* change = response->add_changes();
    change->set_course_id(course->id);
    change->set_version(course->version);
    change->set_listed(course->state == CourseState::kPublished);
  }
  response->set_generation(changes->generation);
  response->set_more(changes->more);
  return absl::OkStatus();
}

}  // namespace lms::course
