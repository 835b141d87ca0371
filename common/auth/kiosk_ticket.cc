#include "common/auth/kiosk_ticket.h"

#include "common/auth/signed_envelope.h"
#include "lms/v1/token.pb.h"

namespace lms::auth {
namespace {

constexpr EnvelopeKind kKioskTicket{"kt1.", "lms-kiosk-ticket-v1."};

}  // namespace

std::string SealKioskTicket(const KioskTicket& ticket, absl::string_view secret_key) {
  v1::KioskTicketClaims claims;
  claims.set_ticket_id(ticket.ticket_id);
  claims.set_member_id(ticket.member_id);
  claims.set_kiosk_id(ticket.kiosk_id);
  claims.set_issued_at(absl::ToUnixSeconds(ticket.issued));
  claims.set_expires_at(absl::ToUnixSeconds(ticket.expires));
  return SealEnvelope(kKioskTicket, claims.SerializeAsString(), secret_key);
}

std::optional<KioskTicket> OpenKioskTicket(absl::string_view text, absl::string_view public_key) {
  const std::optional<std::string> payload = OpenEnvelope(kKioskTicket, text, public_key);
  v1::KioskTicketClaims claims;
  if (!payload.has_value() || !claims.ParseFromString(*payload) || claims.member_id() <= 0 ||
      claims.kiosk_id() <= 0 || claims.expires_at() < claims.issued_at()) {
    return std::nullopt;
  }
  KioskTicket ticket;
  ticket.ticket_id = claims.ticket_id();
  ticket.member_id = claims.member_id();
  ticket.kiosk_id = claims.kiosk_id();
  ticket.issued = absl::FromUnixSeconds(claims.issued_at());
  ticket.expires = absl::FromUnixSeconds(claims.expires_at());
  return ticket;
}

}  // namespace lms::auth
