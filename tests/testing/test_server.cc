#include "tests/testing/test_server.h"

#include <grpcpp/generic/generic_stub.h>

#include <cstdlib>
#include <future>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/modules/service_modules.h"

namespace lms::testing {

TestServer::TestServer(const std::string& suite_name,
                       const std::function<void(server::ServerConfig&)>& configure)
    : database_(TestDatabase::Create(suite_name)),
      clock_(absl::Now()),
      keys_(auth::TokenKeys::Generate()) {
  server::ServerConfig config;
  config.listen_address = "127.0.0.1:0";
  config.db = database_->config();
  config.workers = 8;
  // Tests call with session-less tokens (Token, TokenFor) for every kind of caller.
  config.allow_development_tokens = true;
  if (configure) configure(config);
  runtime_ = std::make_unique<server::ServerRuntime>(config, keys_, clock_);
  runtime_->SetBeforeCommitHookForTesting(
      [this](const call::CallContext& call) { RunBeforeCommitHook(call); });
  host_ = std::make_unique<server::ServerHost>(*runtime_);
  if (const absl::Status added = host_->AddAll(modules::AllModules()); !added.ok()) {
    std::cerr << "test server: " << added << "\n";
    std::abort();
  }
  if (const absl::Status started = host_->Start(); !started.ok()) {
    std::cerr << "test server: " << started << "\n";
    std::abort();
  }
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->port()),
                                 grpc::InsecureChannelCredentials());
}

TestServer::~TestServer() {
  host_->Shutdown(absl::Seconds(1));
  host_.reset();
  runtime_.reset();
}

void TestServer::SetBeforeCommitHook(std::function<void(const call::CallContext&)> hook) {
  absl::MutexLock lock(&hook_mu_);
  before_commit_ = std::move(hook);
}

void TestServer::RunBeforeCommitHook(const call::CallContext& call) {
  std::function<void(const call::CallContext&)> hook;
  {
    absl::MutexLock lock(&hook_mu_);
    hook = before_commit_;
  }
  if (hook) hook(call);
}

void TestServer::RunTaskNow(const std::string& name) {
  if (const absl::Status ran = host_->RunTaskNow(name); !ran.ok()) {
    std::cerr << "test server: task " << name << ": " << ran << "\n";
    std::abort();
  }
}

std::string TestServer::Token(auth::Role role, int64_t member_id, int64_t organization_id) const {
  auth::Caller caller;
  caller.role = role;
  caller.member_id = member_id;
  caller.organization_id = organization_id;
  return TokenFor(caller);
}

std::string TestServer::TokenFor(const auth::Caller& caller) const {
  return auth::AccessTokenSigner(keys_, clock_).Sign(caller, absl::Minutes(10));
}

grpc::Status TestServer::CallRaw(const std::string& path, const std::string& request,
                                 const std::vector<std::pair<std::string, std::string>>& metadata,
                                 std::string* response_bytes) const {
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  const grpc::Slice slice(request);
  const grpc::ByteBuffer buffer(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &buffer, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (response_bytes != nullptr) {
    response_bytes->clear();
    std::vector<grpc::Slice> slices;
    if (status.ok() && response.Dump(&slices).ok()) {
      for (const grpc::Slice& slice : slices) {
        response_bytes->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
      }
    }
  }
  return status;
}

v1::Organization TestServer::CreateRootOrganization() {
  v1::CreateOrganizationRequest request;
  request.mutable_organization()->set_name("公司党委");
  request.mutable_organization()->set_code("ROOT");
  request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_COMMITTEE);
  v1::Organization root;
  const grpc::Status status = organizations().CreateOrganization(
      Context(Token(auth::Role::kSystemAdmin)).get(), request, &root);
  if (!status.ok()) {
    std::cerr << "test server: cannot create the root: " << status.error_message() << "\n";
    std::abort();
  }
  return root;
}

std::unique_ptr<grpc::ClientContext> TestServer::Context(const std::string& token) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

}  // namespace lms::testing
