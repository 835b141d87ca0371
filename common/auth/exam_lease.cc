#include "common/auth/exam_lease.h"

#include "common/auth/signed_envelope.h"

namespace lms::auth {
namespace {

// A lease carries its drawn questions (stems and options, no keys): far longer than a
// ticket, still bounded.
constexpr EnvelopeKind kExamLease{"el1.", "lms-exam-lease-v1.", 1 << 20};

std::optional<v1::KioskExamLeaseClaims> Parse(const std::optional<std::string>& payload) {
  v1::KioskExamLeaseClaims claims;
  if (!payload.has_value() || !claims.ParseFromString(*payload) || claims.attempt_id() <= 0 ||
      claims.member_id() <= 0 || claims.kiosk_id() <= 0) {
    return std::nullopt;
  }
  return claims;
}

}  // namespace

std::string SealExamLease(const v1::KioskExamLeaseClaims& claims, absl::string_view secret_key) {
  return SealEnvelope(kExamLease, claims.SerializeAsString(), secret_key);
}

std::optional<v1::KioskExamLeaseClaims> OpenExamLease(absl::string_view text,
                                                      absl::string_view public_key) {
  return Parse(OpenEnvelope(kExamLease, text, public_key));
}

std::optional<v1::KioskExamLeaseClaims> PeekExamLease(absl::string_view text) {
  return Parse(PeekEnvelope(kExamLease, text));
}

}  // namespace lms::auth
