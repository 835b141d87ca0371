#include "services/identity/identity_module.h"

namespace lms::identity {

absl::StatusOr<std::unique_ptr<IdentityModule>> IdentityModule::Create(
    server::ServerRuntime& runtime) {
  if (runtime.token_keys().secret_key.empty()) {
    return absl::FailedPreconditionError(
        "the identity service signs access tokens: give --token_secret_key");
  }
  return std::unique_ptr<IdentityModule>(new IdentityModule(runtime));
}

IdentityModule::IdentityModule(server::ServerRuntime& runtime)
    : config_(runtime.config().identity),
      signer_(runtime.token_keys(), runtime.clock()),
      hasher_(HashPolicy{}, config_.max_concurrent_hashes),
      issuer_(signer_, config_, runtime.clock()),
      identity_(runtime.pool(), runtime.clock(), config_, hasher_, issuer_, runtime.revocations()),
      kiosks_(runtime.pool(), runtime.clock(), config_, hasher_, issuer_, runtime.revocations()),
      grants_(runtime.pool(), runtime.clock(), runtime.revocations()),
      handler_(identity_, kiosks_, grants_),
      rpcs_("lms.v1.IdentityService", runtime.runner()) {
  handler_.Bind(rpcs_);
}

}  // namespace lms::identity
