#include "common/auth/phone_identification.h"

#include "common/auth/signed_envelope.h"
#include "lms/v1/token.pb.h"

namespace lms::auth {
namespace {

constexpr EnvelopeKind kPhoneIdentification{"pi1.", "lms-phone-id-v1."};

std::optional<PhoneIdentification> Parse(const std::optional<std::string>& payload) {
  v1::PhoneIdentification statement;
  if (!payload.has_value() || !statement.ParseFromString(*payload) || statement.member_id() <= 0 ||
      statement.kiosk_id() <= 0 || statement.key_id() <= 0 ||
      statement.expires_at() < statement.issued_at()) {
    return std::nullopt;
  }
  PhoneIdentification identification;
  identification.member_id = statement.member_id();
  identification.kiosk_id = statement.kiosk_id();
  identification.key_id = statement.key_id();
  identification.issued = absl::FromUnixSeconds(statement.issued_at());
  identification.expires = absl::FromUnixSeconds(statement.expires_at());
  return identification;
}

}  // namespace

std::string SealPhoneIdentification(const PhoneIdentification& identification,
                                    absl::string_view secret_key) {
  v1::PhoneIdentification statement;
  statement.set_member_id(identification.member_id);
  statement.set_kiosk_id(identification.kiosk_id);
  statement.set_key_id(identification.key_id);
  statement.set_issued_at(absl::ToUnixSeconds(identification.issued));
  statement.set_expires_at(absl::ToUnixSeconds(identification.expires));
  return SealEnvelope(kPhoneIdentification, statement.SerializeAsString(), secret_key);
}

std::optional<PhoneIdentification> PeekPhoneIdentification(absl::string_view text) {
  return Parse(PeekEnvelope(kPhoneIdentification, text));
}

std::optional<PhoneIdentification> OpenPhoneIdentification(absl::string_view text,
                                                           absl::string_view public_key) {
  return Parse(OpenEnvelope(kPhoneIdentification, text, public_key));
}

}  // namespace lms::auth
