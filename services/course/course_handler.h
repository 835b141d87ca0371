#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/course.pb.h"
#include "services/course/course_service.h"

namespace lms::course {

// gRPC glue for lms.v1.CourseService: proto in, domain call, proto out. Catalogue reads
// run inline (memory only); writes and lesson bodies on the worker pool (database).
// Thread-safe.
class CourseHandler final {
 public:
  explicit CourseHandler(const CourseService& service) : service_(service) {}

  // Binds every RPC of lms.v1.CourseService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status CreateCourse(const call::CallContext& call, const v1::CreateCourseRequest& request,
                            v1::Course* response) const;
  absl::Status UpdateCourse(const call::CallContext& call, const v1::UpdateCourseRequest& request,
                            v1::Course* response) const;
  absl::Status PublishCourse(const call::CallContext& call,
                             const v1::ChangeCourseStateRequest& request,
                             v1::Course* response) const;
  absl::Status ArchiveCourse(const call::CallContext& call,
                             const v1::ChangeCourseStateRequest& request,
                             v1::Course* response) const;
  absl::Status GetCourse(const call::CallContext& call, const v1::GetCourseRequest& request,
                         v1::GetCourseResponse* response) const;
  absl::Status ListCourses(const call::CallContext& call, const v1::ListCoursesRequest& request,
                           v1::ListCoursesResponse* response) const;
  absl::Status GetLessonContent(const call::CallContext& call,
                                const v1::GetLessonContentRequest& request,
                                v1::LessonContent* response) const;
  absl::Status ListCatalogueChanges(const call::CallContext& call,
                                    const v1::ListCatalogueChangesRequest& request,
                                    v1::ListCatalogueChangesResponse* response) const;

 private:
  const CourseService& service_;
};

}  // namespace lms::course
