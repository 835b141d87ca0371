#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/access_token.h"
#include "lms/v1/organization.pb.h"
#include "services/server/server_host.h"
#include "tests/testing/test_database.h"

// Declared only: a test includes the lms/v1/*.grpc.pb.h of the services it calls. Every
// service's generated stubs in this header cost each test file about 6 s to compile.
namespace lms::v1 {
class ActivityService;
class AssessmentService;
class CourseService;
class EnrollmentService;
class IdentityService;
class OrganizationService;
class ProgressService;
class StatisticsService;
}  // namespace lms::v1

namespace lms::testing {

// A real server hosting every implemented service on 127.0.0.1:0 over a fresh database,
// stubs to call it, and tokens for each role. One per test suite. Its clock is a
// FakeClock that starts at the real time and moves only when a test advances it; the
// background tasks (catalogue refresh, housekeeping) still tick on their own, and
// RunTaskNow runs one at once.
class TestServer {
 public:
  // `configure` may change the server's configuration (TLS files, say) before it starts;
  // the stubs below always connect without TLS.
  explicit TestServer(const std::string& suite_name,
                      const std::function<void(server::ServerConfig&)>& configure = nullptr);
  ~TestServer();

  // A stub of `Service` on this server's channel, made on first use and kept.
  template <class Service>
  typename Service::Stub& StubOf() {
    absl::MutexLock lock(&stubs_mu_);
    std::shared_ptr<void>& stub = stubs_[std::type_index(typeid(Service))];
    if (stub == nullptr) {
      stub = std::shared_ptr<typename Service::Stub>(Service::NewStub(channel_));
    }
    return *static_cast<typename Service::Stub*>(stub.get());
  }
  // The services' stubs by name (templates only so that the service may stay declared).
  template <class Service = v1::CourseService>
  typename Service::Stub& courses() {
    return StubOf<Service>();
  }
  template <class Service = v1::OrganizationService>
  typename Service::Stub& organizations() {
    return StubOf<Service>();
  }
  template <class Service = v1::IdentityService>
  typename Service::Stub& identity() {
    return StubOf<Service>();
  }
  template <class Service = v1::EnrollmentService>
  typename Service::Stub& enrollment() {
    return StubOf<Service>();
  }
  template <class Service = v1::ProgressService>
  typename Service::Stub& progress() {
    return StubOf<Service>();
  }
  template <class Service = v1::ActivityService>
  typename Service::Stub& activities() {
    return StubOf<Service>();
  }
  template <class Service = v1::AssessmentService>
  typename Service::Stub& assessment() {
    return StubOf<Service>();
  }
  template <class Service = v1::StatisticsService>
  typename Service::Stub& statistics() {
    return StubOf<Service>();
  }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  server::ServerRuntime& runtime() { return *runtime_; }
  TestDatabase& database() { return *database_; }
  int port() const { return host_->port(); }
  FakeClock& clock() { return clock_; }
  // The token key pair the server signs with (kiosk tickets are sealed with it too).
  const auth::TokenKeys& token_keys() const { return keys_; }
  // Runs a background task ("catalogue_refresh", "housekeeping", ...) once, now.
  void RunTaskNow(const std::string& name);
  // The full names of every hosted service (every module of services/modules).
  std::vector<std::string> service_names() const { return host_->service_names(); }
  // Called inside every write's transaction just before commit, on the worker serving
  // it (nullptr: none). Lets a test hold a write between its scope check and its commit.
  void SetBeforeCommitHook(std::function<void(const call::CallContext&)> hook);

  std::string Token(auth::Role role, int64_t member_id = 1, int64_t organization_id = 1) const;
  // A 10-minute token for any caller (kiosk sessions, say); no session, so never revoked.
  std::string TokenFor(const auth::Caller& caller) const;
  // Calls `path` ("/lms.v1.CourseService/GetCourse") with a serialized request and the
  // given metadata, through the generic stub: for tests generated from descriptors.
  grpc::Status CallRaw(const std::string& path, const std::string& request,
                       const std::vector<std::pair<std::string, std::string>>& metadata,
                       std::string* response_bytes = nullptr) const;
  // Creates 公司党委 (code ROOT) through the API as a system admin.
  v1::Organization CreateRootOrganization();
  // A client context with the token and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const;

 private:
  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  auth::TokenKeys keys_;
  void RunBeforeCommitHook(const call::CallContext& call);

  absl::Mutex hook_mu_;
  std::function<void(const call::CallContext&)> before_commit_ ABSL_GUARDED_BY(hook_mu_);
  std::unique_ptr<server::ServerRuntime> runtime_;
  std::unique_ptr<server::ServerHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
  absl::Mutex stubs_mu_;
  std::map<std::type_index, std::shared_ptr<void>> stubs_ ABSL_GUARDED_BY(stubs_mu_);
};

}  // namespace lms::testing
