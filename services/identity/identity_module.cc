#include "services/identity/identity_module.h"

namespace lms::identity {
namespace {

IdentityConfig ConfigFor(const server::ServerRuntime& runtime) {
  IdentityConfig config = IdentityConfigFromFlags();
  config.access_token_lifetime = runtime.config().access_token_lifetime;
  return config;
}

}  // namespace

std::vector<server::HousekeepingSweep> IdentityModule::housekeeping_sweeps() const {
  const absl::Duration sessions = config_.expired_session_retention;
  const absl::Duration codes = config_.activation_code_retention;
  const auto before = [](absl::Duration age) {
    return [age](absl::Time now) { return std::vector<db::Param>{now - age}; };
  };
  // Refresh tokens before the sessions they reference.
  return {
      {"refresh_token", "DELETE FROM refresh_token WHERE expire_time < ? LIMIT 5000",
       before(sessions)},
      {"session",
       "DELETE FROM session WHERE expire_time < ? AND NOT EXISTS (SELECT 1 FROM refresh_token r"
       " WHERE r.session_id = session.id) LIMIT 5000",
       before(sessions)},
      {"sign_in_throttle",
       "DELETE FROM sign_in_throttle WHERE window_start < ?"
       " AND (locked_until IS NULL OR locked_until < ?) LIMIT 5000",
       [](absl::Time now) {
         return std::vector<db::Param>{now - absl::Hours(1), now};
       }},
      {"activation_code", "DELETE FROM activation_code WHERE expire_time < ? LIMIT 5000",
       before(codes)},
  };
}

absl::StatusOr<std::unique_ptr<server::ServiceModule>> IdentityModule::Create(
    server::ServerRuntime& runtime) {
  if (runtime.token_keys().secret_key.empty()) {
    return absl::FailedPreconditionError(
        "the identity service signs access tokens: give --token_secret_key");
  }
  return std::unique_ptr<server::ServiceModule>(new IdentityModule(runtime));
}

IdentityModule::IdentityModule(server::ServerRuntime& runtime)
    : config_(ConfigFor(runtime)),
      signer_(runtime.token_keys(), runtime.clock()),
      hasher_(HashPolicy{}, runtime.counters().Get("password_hashes")),
      admission_(HashAdmissionLimits{config_.max_concurrent_hashes, config_.max_waiting_hashes,
                                     config_.hash_admission_wait},
                 runtime.counters().Get("hash_admission_refusals")),
      hashing_workers_(admission_.slots() + admission_.max_waiting(),
                       static_cast<size_t>(admission_.max_waiting()), kSignInBusy),
      issuer_(signer_, config_, runtime.clock()),
      identity_(runtime.pool(), runtime.clock(), config_, hasher_, admission_, issuer_,
                runtime.revocations()),
      kiosks_(runtime.pool(), runtime.clock(), config_, hasher_, admission_, issuer_,
              runtime.revocations()),
      grants_(runtime.pool(), runtime.clock(), runtime.revocations()),
      device_keys_(runtime.pool(), runtime.clock()),
      handler_(identity_, kiosks_, grants_, device_keys_),
      rpcs_("lms.v1.IdentityService", runtime.runner()) {
  runtime.mutable_scope_checker().RegisterObjectKind(
      "device_key",
      [this](db::Transaction& tx, int64_t id,
             bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
        absl::StatusOr<std::optional<DeviceKeyRecord>> key = device_keys_.Find(tx, id, lock);
        if (!key.ok()) return key.status();
        if (!key->has_value()) return std::nullopt;
        return auth::ObjectOwner{auth::ScopeKind::kMember, (*key)->member_id};
      });
  handler_.Bind(rpcs_, hashing_workers_);
}

}  // namespace lms::identity
