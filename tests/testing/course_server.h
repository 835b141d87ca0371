#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/auth/access_token.h"
#include "lms/v1/course.grpc.pb.h"
#include "services/server/server_host.h"
#include "tests/testing/test_database.h"

namespace lms::testing {

// A real course server on 127.0.0.1:0 over a fresh database, a stub to call it, and
// tokens for each role. One per test suite.
class CourseServer {
 public:
  explicit CourseServer(const std::string& suite_name);
  ~CourseServer();

  v1::CourseService::Stub& stub() { return *stub_; }
  TestDatabase& database() { return *database_; }
  int port() const { return host_->port(); }

  std::string Token(auth::Role role, int64_t member_id = 1, int64_t organization_id = 1) const;
  // A client context with the token and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const;

 private:
  std::unique_ptr<TestDatabase> database_;
  RealClock clock_;
  auth::TokenKeys keys_;
  std::unique_ptr<server::ServerRuntime> runtime_;
  std::unique_ptr<server::ServerHost> host_;
  std::unique_ptr<v1::CourseService::Stub> stub_;
};

}  // namespace lms::testing
