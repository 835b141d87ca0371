// Every RPC of every lms.v1 service declares who may call it: a new RPC without a policy
// fails here (and would stop its server at start-up) instead of running open.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
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

TEST(AccessPolicyTest, EveryRpcTakingARequestIdIsMarkedAsWriting) {
  // A request id exists for retried writes: such an RPC runs on the write path, and the
  // write-race test covers it only if its policy says it writes.
  int writes = 0;
  for (const auto* file :
       {v1::ListCoursesRequest::descriptor()->file(), v1::SignInRequest::descriptor()->file(),
        v1::Organization::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const auto* method = file->service(s)->method(m);
        const absl::StatusOr<auth::MethodPolicy> policy =
            auth::PolicyFor(file->service(s)->full_name(), method->name());
        ASSERT_THAT(policy, IsOk());
        if (policy->request_id_field != nullptr) {
          EXPECT_TRUE(policy->writes) << method->full_name() << " takes a request_id";
        }
        writes += policy->writes ? 1 : 0;
      }
    }
  }
  EXPECT_GE(writes, 20);
}

TEST(AccessPolicyTest, EveryRpcOfEveryServiceDeclaresAPolicy) {
  // A message of each file: referencing it links the file's descriptor into the pool.
  const std::vector<const google::protobuf::FileDescriptor*> files = {
      v1::ListCoursesRequest::descriptor()->file(),    v1::SignInRequest::descriptor()->file(),
      v1::Organization::descriptor()->file(),          v1::TrainingPlan::descriptor()->file(),
      v1::ProgressEvent::descriptor()->file(),         v1::Question::descriptor()->file(),
      v1::OrganizationStatistics::descriptor()->file()};
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
  EXPECT_EQ(auth::PolicyFor("lms.v1.CourseService", "DropEverything").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(auth::PolicyFor("lms.v1.NoSuchService", "GetCourse").status().code(),
            absl::StatusCode::kInternal);
}

TEST(AccessPolicyTest, OnlySignInIsPublic) {
  EXPECT_TRUE(auth::PolicyFor("lms.v1.IdentityService", "SignIn")->is_public);
  EXPECT_FALSE(auth::PolicyFor("lms.v1.CourseService", "ListCourses")->is_public);
  EXPECT_FALSE(
      auth::PolicyFor("lms.v1.CourseService", "CreateCourse")->Allows(auth::Role::kMember));
}

TEST(AccessPolicyTest, ScopedFieldsAreReadFromNestedRequestFields) {
  const auth::MethodPolicy transfer =
      auth::RequirePolicy("lms.v1.OrganizationService", "TransferMember");
  v1::TransferMemberRequest request;
  request.set_member_id(7);
  request.set_target_organization_id(9);
  const std::vector<auth::ScopedId> ids = transfer.ScopedIds(request);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].kind, auth::ScopeKind::kOrganization);
  EXPECT_EQ(ids[0].id, 9);
  EXPECT_EQ(ids[1].kind, auth::ScopeKind::kMember);
  EXPECT_EQ(ids[1].id, 7);

  const auth::MethodPolicy create =
      auth::RequirePolicy("lms.v1.OrganizationService", "CreateMember");
  v1::CreateMemberRequest create_request;
  EXPECT_TRUE(create.ScopedIds(create_request).empty());  // absent sub-message: nothing named
  create_request.mutable_member()->set_organization_id(3);
  ASSERT_EQ(create.ScopedIds(create_request).size(), 1u);
  EXPECT_EQ(create.ScopedIds(create_request)[0].id, 3);
}

TEST(AccessPolicyTest, StatisticsNameTheirSubtreeInTheScope) {
  // Every statistics RPC names its organisation where the authorizer reads it, so no
  // figure outside the caller's subtree is ever computed. A plan in the scope is not an
  // object checked as its owner (a branch admin reads its branch under the committee's
  // plan): the service checks it covers the scope's organisation.
  const auto* service = v1::OrganizationStatistics::descriptor()->file()->service(0);
  for (int m = 0; m < service->method_count(); ++m) {
    const auth::MethodPolicy policy =
        auth::RequirePolicy(service->full_name(), service->method(m)->name());
    EXPECT_FALSE(policy.Allows(auth::Role::kMember)) << service->method(m)->name();
    EXPECT_FALSE(policy.Allows(auth::Role::kKiosk)) << service->method(m)->name();
    EXPECT_FALSE(policy.writes) << service->method(m)->name();
    const auto* input = service->method(m)->input_type();
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> request(factory.GetPrototype(input)->New());
    const auto* scope = input->FindFieldByName("scope");
    const auto* field = scope != nullptr ? scope->message_type()->FindFieldByName("organization_id")
                                         : input->FindFieldByName("organization_id");
    ASSERT_NE(field, nullptr) << service->method(m)->name();
    google::protobuf::Message* holder =
        scope != nullptr ? request->GetReflection()->MutableMessage(request.get(), scope)
                         : request.get();
    holder->GetReflection()->SetInt64(holder, field, 4);
    const std::vector<auth::ScopedId> ids = policy.ScopedIds(*request);
    ASSERT_EQ(ids.size(), 1u) << service->method(m)->name();
    EXPECT_EQ(ids[0].kind, auth::ScopeKind::kOrganization);
    EXPECT_EQ(ids[0].id, 4);
  }
}

TEST(AccessPolicyTest, KioskMemberSessionsAreOptIn) {
  EXPECT_TRUE(auth::PolicyFor("lms.v1.CourseService", "ListCourses")->kiosk_member_sessions);
  EXPECT_FALSE(auth::PolicyFor("lms.v1.IdentityService", "ChangePassword")->kiosk_member_sessions);
  EXPECT_FALSE(auth::PolicyFor("lms.v1.OrganizationService", "ListMembers")->kiosk_member_sessions);
}

}  // namespace
}  // namespace lms
