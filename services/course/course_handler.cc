#include "services/course/course_handler.h"

#include "services/course/course_mapping.h"

namespace lms::course {
namespace {

using grpc_util::CallContext;

constexpr absl::string_view kService = "lms.v1.CourseService";

// Writes a course result into the response, passing the status through.
absl::Status Respond(const absl::StatusOr<Course>& course, v1::Course* response) {
  if (course.ok()) ToProto(*course, response);
  return course.status();
}

}  // namespace

CourseHandler::CourseHandler(const CourseService& service, const grpc_util::UnaryCallRunner& runner)
    : service_(service),
      runner_(runner),
      create_course_(auth::RequirePolicy(kService, "CreateCourse")),
      update_course_(auth::RequirePolicy(kService, "UpdateCourse")),
      publish_course_(auth::RequirePolicy(kService, "PublishCourse")),
      archive_course_(auth::RequirePolicy(kService, "ArchiveCourse")),
      get_course_(auth::RequirePolicy(kService, "GetCourse")),
      list_courses_(auth::RequirePolicy(kService, "ListCourses")),
      get_lesson_content_(auth::RequirePolicy(kService, "GetLessonContent")),
      list_catalogue_changes_(auth::RequirePolicy(kService, "ListCatalogueChanges")) {}

grpc::ServerUnaryReactor* CourseHandler::CreateCourse(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::CreateCourseRequest, v1::Course>(
      context, create_course_, request, response,
      [this](const CallContext& call, const v1::CreateCourseRequest& request,
             v1::Course* response) {
        return Respond(
            service_.CreateCourse(call, request.request_id(), CourseFromProto(request.course())),
            response);
      });
}

grpc::ServerUnaryReactor* CourseHandler::UpdateCourse(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::UpdateCourseRequest, v1::Course>(
      context, update_course_, request, response,
      [this](const CallContext& call, const v1::UpdateCourseRequest& request,
             v1::Course* response) {
        return Respond(
            service_.UpdateCourse(call, request.request_id(), CourseFromProto(request.course()),
                                  request.expected_version()),
            response);
      });
}

grpc::ServerUnaryReactor* CourseHandler::PublishCourse(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ChangeCourseStateRequest, v1::Course>(
      context, publish_course_, request, response,
      [this](const CallContext& call, const v1::ChangeCourseStateRequest& request,
             v1::Course* response) {
        return Respond(service_.PublishCourse(call, request.request_id(), request.course_id(),
                                              request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* CourseHandler::ArchiveCourse(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::ChangeCourseStateRequest, v1::Course>(
      context, archive_course_, request, response,
      [this](const CallContext& call, const v1::ChangeCourseStateRequest& request,
             v1::Course* response) {
        return Respond(service_.ArchiveCourse(call, request.request_id(), request.course_id(),
                                              request.expected_version()),
                       response);
      });
}

grpc::ServerUnaryReactor* CourseHandler::GetCourse(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return runner_.RunInline<v1::GetCourseRequest, v1::GetCourseResponse>(
      context, get_course_, request, response,
      [this](const CallContext& call, const v1::GetCourseRequest& request,
             v1::GetCourseResponse* response) {
        const absl::StatusOr<CourseLookup> lookup =
            service_.GetCourse(call.caller, request.course_id(), request.known_version());
        if (!lookup.ok()) return lookup.status();
        response->set_version(lookup->version);
        response->set_not_modified(lookup->not_modified);
        if (lookup->course != nullptr) ToProto(*lookup->course, response->mutable_course());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CourseHandler::ListCourses(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return runner_.RunInline<v1::ListCoursesRequest, v1::ListCoursesResponse>(
      context, list_courses_, request, response,
      [this](const CallContext& call, const v1::ListCoursesRequest& request,
             v1::ListCoursesResponse* response) {
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
        for (const CoursePtr& course : page->courses) {
          ToSummaryProto(*course, response->add_courses());
        }
        response->set_next_page_token(page->next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CourseHandler::GetLessonContent(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return runner_.RunBlocking<v1::GetLessonContentRequest, v1::LessonContent>(
      context, get_lesson_content_, request, response,
      [this](const CallContext& call, const v1::GetLessonContentRequest& request,
             v1::LessonContent* response) {
        const absl::StatusOr<LessonContent> content =
            service_.GetLessonContent(call, request.lesson_id());
        if (content.ok()) ToProto(*content, response);
        return content.status();
      });
}

grpc::ServerUnaryReactor* CourseHandler::ListCatalogueChanges(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return runner_.RunInline<v1::ListCatalogueChangesRequest, v1::ListCatalogueChangesResponse>(
      context, list_catalogue_changes_, request, response,
      [this](const CallContext& call, const v1::ListCatalogueChangesRequest& request,
             v1::ListCatalogueChangesResponse* response) {
        const absl::StatusOr<CatalogueChanges> changes = service_.ListCatalogueChanges(
            call.caller, request.since_generation(), request.page_size());
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
      });
}

}  // namespace lms::course
