#include "services/server/server_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/db/durability_check.h"
#include "common/log/log.h"

namespace lms::server {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerConfig& config) {
  if (config.tls_cert_file.empty() && config.tls_key_file.empty()) {
    return grpc::InsecureServerCredentials();
  }
  if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  absl::StatusOr<std::string> cert = ReadFile(config.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(config.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

}  // namespace

absl::Status ServerHost::CheckObjectKinds(const grpc_util::RpcService& service) const {
  for (const auth::MethodPolicy* policy : service.policies()) {
    for (const auth::MethodPolicy::ScopedField& field : policy->scoped_fields) {
      if (field.kind == auth::ScopeKind::kObject &&
          !runtime_.scope_checker().KnowsObjectKind(field.object_kind)) {
        return absl::InternalError(absl::StrCat(policy->full_name, " names objects of kind ",
                                                field.object_kind,
                                                ", which no hosted service resolves"));
      }
    }
  }
  return absl::OkStatus();
}

ServerHost::~ServerHost() {
  Shutdown(absl::ZeroDuration());
  if (health_thread_.joinable()) health_thread_.join();
}

void ServerHost::Add(std::unique_ptr<ServiceModule> module) {
  runtime_.housekeeping().Add(module->housekeeping_sweeps());
  modules_.push_back(std::move(module));
}

absl::Status ServerHost::AddAll(const std::vector<ModuleEntry>& entries) {
  for (const ModuleEntry& entry : entries) {
    absl::StatusOr<std::unique_ptr<ServiceModule>> module = entry.create(runtime_);
    if (!module.ok()) {
      return absl::Status(module.status().code(),
                          absl::StrCat(entry.name, ": ", module.status().message()));
    }
    Add(*std::move(module));
  }
  return absl::OkStatus();
}

std::vector<std::string> ServerHost::service_names() const {
  std::vector<std::string> names;
  for (const auto& module : modules_) names.push_back(module->service().name());
  return names;
}

absl::Status ServerHost::Start() {
  const ServerConfig& config = runtime_.config();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials(config);
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen_address, *credentials, &port_);
  builder.SetMaxReceiveMessageSize(config.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(config.max_send_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, config.max_concurrent_streams);
  // Drop clients that vanished (a kiosk losing power) instead of holding their streams.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  for (const auto& module : modules_) {
    if (absl::Status bound = module->service().Verify(); !bound.ok()) return bound;
    if (absl::Status kinds = CheckObjectKinds(module->service()); !kinds.ok()) return kinds;
    builder.RegisterService(&module->service());
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config.listen_address));
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  health_thread_ = std::thread([this] { WatchHealth(); });
  log::Info("server_started", {{"address", config.listen_address},
                               {"port", port_},
                               {"tls", config.tls_cert_file.empty() ? "off" : "on"},
                               {"services", static_cast<int>(modules_.size())}});
  return absl::OkStatus();
}

void ServerHost::WatchHealth() {
  bool serving = false;
  std::string last_problem;
  while (true) {
    const absl::Time deadline = absl::Now() + absl::Seconds(2);
    absl::Status status = runtime_.pool().Ping(deadline);
    if (status.ok() && !runtime_.config().allow_non_durable_database) {
      status = db::CheckDurability(runtime_.pool(), deadline);
    }
    if (status.ok() != serving) {
      serving = status.ok();
      server_->GetHealthCheckService()->SetServingStatus(serving);
      if (serving) {
        log::Info("health_serving");
      } else {
        log::Warn("health_not_serving", {{"reason", std::string(status.message())}});
      }
    } else if (!status.ok() && std::string(status.message()) != last_problem) {
      log::Warn("health_not_serving", {{"reason", std::string(status.message())}});
    }
    last_problem = std::string(status.message());
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1))) return;
  }
}

void ServerHost::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (server_ == nullptr) return;
  log::Info("server_stopping", {{"grace_ms", absl::ToInt64Milliseconds(grace)}});
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

absl::Status ServerHost::RunTaskNow(absl::string_view name) {
  std::vector<sched::PeriodicTask*> tasks = runtime_.tasks();
  for (const auto& module : modules_) {
    for (sched::PeriodicTask* task : module->tasks()) tasks.push_back(task);
  }
  for (sched::PeriodicTask* task : tasks) {
    if (task->name() == name) return task->RunNow();
  }
  return absl::NotFoundError(absl::StrCat("no background task ", name));
}

void ServerHost::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace lms::server
