// Every RPC of every lms.v1 service declares who may call it: a new RPC without a policy
// fails here (and would stop its server at start-up) instead of running open.

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include "common/auth/method_policy.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "lms/v1/course.grpc.pb.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/testing/status_matchers.h"

namespace lms {
namespace {

using ::lms::testing::IsOk;

TEST(AccessPolicyTest, EveryRpcOfEveryServiceDeclaresAPolicy) {
  // A message of each file: referencing it links the file's descriptor into the pool.
  const std::vector<const google::protobuf::FileDescriptor*> files = {
      v1::ListCoursesRequest::descriptor()->file(), v1::SignInRequest::descriptor()->file(),
      v1::Organization::descriptor()->file(),       v1::TrainingPlan::descriptor()->file(),
      v1::ProgressEvent::descriptor()->file(),      v1::Question::descriptor()->file(),
      v1::CompletionReport::descriptor()->file()};
  int rpcs = 0;
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        EXPECT_THAT(auth::PolicyFor(service->full_name(), service->method(m)->name()), IsOk());
        ++rpcs;
      }
    }
  }
  EXPECT_GE(rpcs, 50);
}

TEST(AccessPolicyTest, UnknownRpcHasNoPolicy) {
  EXPECT_FALSE(auth::PolicyFor("lms.v1.CourseService", "DropEverything").ok());
  EXPECT_FALSE(auth::PolicyFor("lms.v1.NoSuchService", "GetCourse").ok());
}

TEST(AccessPolicyTest, OnlySignInIsPublic) {
  EXPECT_TRUE(auth::PolicyFor("lms.v1.IdentityService", "SignIn")->is_public);
  EXPECT_FALSE(auth::PolicyFor("lms.v1.CourseService", "ListCourses")->is_public);
  EXPECT_FALSE(
      auth::PolicyFor("lms.v1.CourseService", "CreateCourse")->Allows(auth::Role::kMember));
}

}  // namespace
}  // namespace lms
