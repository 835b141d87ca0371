// RpcService: each RPC bound in one line, every binding checked against the contract
// before a server starts, and a handler's exception answered as INTERNAL.

#include "common/grpc/rpc_service.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "lms/v1/course.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using grpc_util::RpcService;

// Answers every CourseService RPC: OK, or by throwing.
struct FakeCourseHandler {
  template <typename Request, typename Response>
  absl::Status Ok(const call::CallContext&, const Request&, Response*) const {
    return absl::OkStatus();
  }
  template <typename Request, typename Response>
  absl::Status Throw(const call::CallContext&, const Request&, Response*) const {
    throw std::runtime_error("a bug in a handler");
  }
};

// Binds every CourseService RPC but `skip`, reads with `read`, writes with `write`.
template <typename Read, typename Write>
void BindAll(RpcService& rpcs, const FakeCourseHandler& h, const std::string& skip, Read read,
             Write write) {
  using H = FakeCourseHandler;
  if (skip != "CreateCourse")
    rpcs.Blocking("CreateCourse", h, write(v1::CreateCourseRequest{}, v1::Course{}));
  if (skip != "UpdateCourse")
    rpcs.Blocking("UpdateCourse", h, write(v1::UpdateCourseRequest{}, v1::Course{}));
  rpcs.Blocking("PublishCourse", h, &H::Ok<v1::ChangeCourseStateRequest, v1::Course>);
  rpcs.Blocking("ArchiveCourse", h, &H::Ok<v1::ChangeCourseStateRequest, v1::Course>);
  rpcs.Inline("GetCourse", h, read(v1::GetCourseRequest{}, v1::GetCourseResponse{}));
  rpcs.Inline("ListCourses", h, &H::Ok<v1::ListCoursesRequest, v1::ListCoursesResponse>);
  rpcs.Blocking("GetLessonContent", h, &H::Ok<v1::GetLessonContentRequest, v1::LessonContent>);
  rpcs.Inline("ListCatalogueChanges", h,
              &H::Ok<v1::ListCatalogueChangesRequest, v1::ListCatalogueChangesResponse>);
}

const auto kOk = [](auto request, auto response) {
  return &FakeCourseHandler::Ok<decltype(request), decltype(response)>;
};
const auto kThrow = [](auto request, auto response) {
  return &FakeCourseHandler::Throw<decltype(request), decltype(response)>;
};

// A module serving a prepared RpcService.
class FakeModule final : public server::ServiceModule {
 public:
  explicit FakeModule(std::unique_ptr<RpcService> rpcs) : rpcs_(std::move(rpcs)) {}
  RpcService& service() override { return *rpcs_; }

 private:
  std::unique_ptr<RpcService> rpcs_;
};

class RpcServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::TestServer("rpc_service"); }
  static void TearDownTestSuite() { delete server_; }

  std::unique_ptr<RpcService> NewService() const {
    return std::make_unique<RpcService>("lms.v1.CourseService", server_->runtime().runner());
  }

  static testing::TestServer* server_;
  const FakeCourseHandler handler_{};
};
testing::TestServer* RpcServiceTest::server_ = nullptr;

TEST_F(RpcServiceTest, ACompleteBindingVerifies) {
  auto rpcs = NewService();
  BindAll(*rpcs, handler_, "", kOk, kOk);
  EXPECT_TRUE(rpcs->Verify().ok()) << rpcs->Verify();
}

TEST_F(RpcServiceTest, AnUnboundRpcIsNamed) {
  auto rpcs = NewService();
  BindAll(*rpcs, handler_, "UpdateCourse", kOk, kOk);
  const absl::Status verified = rpcs->Verify();
  EXPECT_EQ(verified.code(), absl::StatusCode::kInternal);
  EXPECT_NE(verified.message().find("lms.v1.CourseService.UpdateCourse is not bound"),
            std::string::npos)
      << verified;
}

TEST_F(RpcServiceTest, WrongTypesUnknownNamesTwiceBoundAndInlineScopedAreRefused) {
  auto rpcs = NewService();
  BindAll(*rpcs, handler_, "UpdateCourse", kOk, kOk);
  // UpdateCourse takes UpdateCourseRequest, not CreateCourseRequest.
  rpcs->Blocking("UpdateCourse", handler_,
                 &FakeCourseHandler::Ok<v1::CreateCourseRequest, v1::Course>);
  rpcs->Blocking("DropCourses", handler_,
                 &FakeCourseHandler::Ok<v1::CreateCourseRequest, v1::Course>);
  rpcs->Blocking("CreateCourse", handler_,
                 &FakeCourseHandler::Ok<v1::CreateCourseRequest, v1::Course>);
  const std::string message(rpcs->Verify().message());
  EXPECT_NE(message.find("UpdateCourse takes lms.v1.UpdateCourseRequest, bound to a handler of "
                         "lms.v1.CreateCourseRequest"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("DropCourses is bound but the contract has no such RPC"),
            std::string::npos);
  EXPECT_NE(message.find("CreateCourse is bound twice"), std::string::npos);

  // ListMembers names an organisation: its scope check reads the database.
  RpcService organizations("lms.v1.OrganizationService", server_->runtime().runner());
  organizations.Inline("ListMembers", handler_,
                       &FakeCourseHandler::Ok<v1::ListMembersRequest, v1::ListMembersResponse>);
  EXPECT_NE(organizations.Verify().message().find("bind it Blocking, not Inline"),
            std::string::npos)
      << organizations.Verify();
}

TEST_F(RpcServiceTest, AServerWithAMisboundServiceRefusesToStart) {
  auto rpcs = NewService();
  BindAll(*rpcs, handler_, "UpdateCourse", kOk, kOk);
  server::ServerHost host(server_->runtime());
  host.Add(std::make_unique<FakeModule>(std::move(rpcs)));
  const absl::Status started = host.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kInternal);
  EXPECT_NE(started.message().find("UpdateCourse is not bound"), std::string::npos) << started;
}

TEST_F(RpcServiceTest, AHandlerThatThrowsIsInternalAndTheServerGoesOn) {
  auto rpcs = NewService();
  BindAll(*rpcs, handler_, "", kThrow, kThrow);
  server::ServerHost host(server_->runtime());
  host.Add(std::make_unique<FakeModule>(std::move(rpcs)));
  ASSERT_TRUE(host.Start().ok());
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::CourseService::NewStub(channel);
  const std::string admin = server_->Token(auth::Role::kSystemAdmin);
  for (int i = 0; i < 3; ++i) {
    v1::GetCourseResponse read;  // inline, on the gRPC thread
    v1::GetCourseRequest get;
    get.set_course_id(1);
    EXPECT_EQ(stub->GetCourse(server_->Context(admin).get(), get, &read).error_code(),
              grpc::StatusCode::INTERNAL);
    v1::Course written;  // on a worker
    EXPECT_EQ(stub->CreateCourse(server_->Context(admin).get(), v1::CreateCourseRequest{}, &written)
                  .error_code(),
              grpc::StatusCode::INTERNAL);
  }
  // Calls that do not throw are still answered.
  v1::ListCoursesResponse listed;
  EXPECT_TRUE(
      stub->ListCourses(server_->Context(admin).get(), v1::ListCoursesRequest{}, &listed).ok());
  host.Shutdown(absl::Seconds(1));
}

}  // namespace
}  // namespace lms
