#include "common/auth/access_token.h"

#include <sodium.h>

#include <fstream>
#include <sstream>

#include "absl/hash/hash.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/signed_envelope.h"
#include "lms/v1/token.pb.h"

namespace lms::auth {
namespace {

// Domain separation: a signature made for anything else never verifies as a token.
constexpr EnvelopeKind kAccessToken{"v1.", "lms-access-v1."};

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError("invalid or expired access token");
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path, size_t expected_size) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read key file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string raw;
  if (!absl::Base64Unescape(absl::StripAsciiWhitespace(buffer.str()), &raw) ||
      raw.size() != expected_size) {
    return absl::InvalidArgumentError(absl::StrCat("malformed key file ", path));
  }
  return raw;
}

absl::Status WriteKeyFile(const std::string& path, const std::string& raw) {
  std::ofstream out(path, std::ios::trunc);
  out << absl::Base64Escape(raw) << "\n";
  if (!out) return absl::InternalError(absl::StrCat("cannot write key file ", path));
  return absl::OkStatus();
}

}  // namespace

TokenKeys TokenKeys::Generate() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  TokenKeys keys{std::string(reinterpret_cast<char*>(pk), sizeof(pk)),
                 std::string(reinterpret_cast<char*>(sk), sizeof(sk))};
  sodium_memzero(sk, sizeof(sk));
  return keys;
}

absl::StatusOr<TokenKeys> TokenKeys::Load(const std::string& public_path,
                                          const std::string& secret_path) {
  TokenKeys keys;
  absl::StatusOr<std::string> pk = ReadKeyFile(public_path, crypto_sign_PUBLICKEYBYTES);
  if (!pk.ok()) return pk.status();
  keys.public_key = *std::move(pk);
  if (!secret_path.empty()) {
    absl::StatusOr<std::string> sk = ReadKeyFile(secret_path, crypto_sign_SECRETKEYBYTES);
    if (!sk.ok()) return sk.status();
    keys.secret_key = *std::move(sk);
  }
  return keys;
}

absl::Status TokenKeys::Save(const std::string& public_path, const std::string& secret_path) const {
  if (absl::Status s = WriteKeyFile(public_path, public_key); !s.ok()) return s;
  if (secret_path.empty()) return absl::OkStatus();
  return WriteKeyFile(secret_path, secret_key);
}

AccessTokenSigner::AccessTokenSigner(TokenKeys keys, const Clock& clock)
    : keys_(std::move(keys)), clock_(clock) {}

std::string AccessTokenSigner::Sign(const Caller& caller, absl::Duration lifetime) const {
  const absl::Time now = clock_.Now();
  lms::v1::AccessTokenClaims claims;
  unsigned char id[16];
  randombytes_buf(id, sizeof(id));
  claims.set_token_id(
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(id), sizeof(id))));
  claims.set_session_id(caller.session_id);
  claims.set_role(static_cast<lms::v1::Role>(caller.role));
  claims.set_member_id(caller.member_id);
  claims.set_organization_id(caller.organization_id);
  claims.set_kiosk_id(caller.kiosk_id);
  claims.set_issued_at(absl::ToUnixSeconds(now));
  claims.set_expires_at(absl::ToUnixSeconds(now + lifetime));
  return SealEnvelope(kAccessToken, claims.SerializeAsString(), keys_.secret_key);
}

AccessTokenVerifier::AccessTokenVerifier(std::string public_key, const Clock& clock,
                                         absl::Duration max_lifetime)
    : public_key_(std::move(public_key)), clock_(clock), max_lifetime_(max_lifetime) {}

absl::StatusOr<Caller> AccessTokenVerifier::VerifyUncached(absl::string_view token) const {
  const std::optional<std::string> claim_bytes = OpenEnvelope(kAccessToken, token, public_key_);
  if (!claim_bytes.has_value()) return Unauthenticated();
  lms::v1::AccessTokenClaims claims;
  if (!claims.ParseFromString(*claim_bytes) || claims.role() == lms::v1::ROLE_UNSPECIFIED ||
      !lms::v1::Role_IsValid(claims.role())) {
    return Unauthenticated();
  }
  if (absl::Seconds(claims.expires_at() - claims.issued_at()) > max_lifetime_) {
    return Unauthenticated();
  }
  Caller caller;
  caller.role = static_cast<Role>(claims.role());
  caller.member_id = claims.member_id();
  caller.organization_id = claims.organization_id();
  caller.kiosk_id = claims.kiosk_id();
  caller.token_id = claims.token_id();
  caller.session_id = claims.session_id();
  caller.expires_at = absl::FromUnixSeconds(claims.expires_at());
  return caller;
}

absl::StatusOr<Caller> AccessTokenVerifier::Verify(absl::string_view token) const {
  const absl::Time now = clock_.Now();
  Shard& shard = shards_[absl::HashOf(token) % kShards];
  {
    absl::MutexLock lock(&shard.mu);
    const auto it = shard.verified.find(token);
    if (it != shard.verified.end()) {
      if (now < it->second.expires_at) return it->second;
      shard.verified.erase(it);
      return Unauthenticated();
    }
  }
  absl::StatusOr<Caller> caller = VerifyUncached(token);
  if (!caller.ok()) return caller.status();
  if (now >= caller->expires_at) return Unauthenticated();
  absl::MutexLock lock(&shard.mu);
  // Dropping everything when full is crude but bounded; expired entries go first.
  if (shard.verified.size() >= kMaxEntriesPerShard) {
    absl::erase_if(shard.verified,
                   [&](const auto& entry) { return entry.second.expires_at <= now; });
    if (shard.verified.size() >= kMaxEntriesPerShard) shard.verified.clear();
  }
  shard.verified.emplace(std::string(token), *caller);
  return caller;
}

}  // namespace lms::auth
