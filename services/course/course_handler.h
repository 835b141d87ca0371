#pragma once

#include "common/auth/method_policy.h"
#include "common/grpc/raw_service.h"
#include "common/grpc/unary_call.h"
#include "lms/v1/course.grpc.pb.h"
#include "services/course/course_service.h"

namespace lms::course {

// Every method of lms.v1.CourseService, taking raw buffers so that UnaryCallRunner
// decodes requests itself (see DecodeRequest).
using RawCourseService =
    grpc_util::RawMethods<v1::CourseService::Service,
                          v1::CourseService::WithRawCallbackMethod_CreateCourse,
                          v1::CourseService::WithRawCallbackMethod_UpdateCourse,
                          v1::CourseService::WithRawCallbackMethod_PublishCourse,
                          v1::CourseService::WithRawCallbackMethod_ArchiveCourse,
                          v1::CourseService::WithRawCallbackMethod_GetCourse,
                          v1::CourseService::WithRawCallbackMethod_ListCourses,
                          v1::CourseService::WithRawCallbackMethod_GetLessonContent,
                          v1::CourseService::WithRawCallbackMethod_ListCatalogueChanges>::type;

// gRPC glue for lms.v1.CourseService: decode, authorize and dispatch through the
// UnaryCallRunner, encode. Catalogue reads run inline (memory only); writes and lesson
// bodies run on the worker pool (database). Thread-safe.
class CourseHandler final : public RawCourseService {
 public:
  CourseHandler(const CourseService& service, const grpc_util::UnaryCallRunner& runner);

  grpc::ServerUnaryReactor* CreateCourse(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* UpdateCourse(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PublishCourse(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ArchiveCourse(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetCourse(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCourses(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetLessonContent(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCatalogueChanges(grpc::CallbackServerContext* context,
                                                 const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) override;

 private:
  const CourseService& service_;
  const grpc_util::UnaryCallRunner& runner_;
  const auth::MethodPolicy create_course_;
  const auth::MethodPolicy update_course_;
  const auth::MethodPolicy publish_course_;
  const auth::MethodPolicy archive_course_;
  const auth::MethodPolicy get_course_;
  const auth::MethodPolicy list_courses_;
  const auth::MethodPolicy get_lesson_content_;
  const auth::MethodPolicy list_catalogue_changes_;
};

}  // namespace lms::course
