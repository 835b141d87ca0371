#include "services/identity/session_issuer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/identity/secret_token.h"

namespace lms::identity {
namespace {

constexpr absl::string_view kRefreshTokenPrefix = "rt1_";

}  // namespace

IssuedSession SessionIssuer::SignAccess(const Session& session,
                                        const std::string& display_name) const {
  IssuedSession issued;
  issued.caller.role = session.role;
  issued.caller.member_id = session.member_id;
  issued.caller.organization_id = session.organization_id;
  issued.caller.kiosk_id = session.kiosk_id;
  issued.caller.session_id = absl::StrCat(session.id);
  // An access token never outlives its session.
  const absl::Duration lifetime =
      std::min(config_.access_token_lifetime, session.expire_time - clock_.Now());
  issued.access_token = signer_.Sign(issued.caller, lifetime);
  issued.access_token_expire_time = clock_.Now() + lifetime;
  issued.display_name = display_name;
  return issued;
}

absl::Time SessionIssuer::AbsoluteEnd(const Session& session) const {
  const bool admin =
      session.role == auth::Role::kOrgAdmin || session.role == auth::Role::kSystemAdmin;
  return session.create_time +
         (admin ? config_.admin_session_max_lifetime : config_.member_session_max_lifetime);
}

absl::StatusOr<IssuedSession> SessionIssuer::Open(db::Transaction& tx, Session session,
                                                  absl::Duration lifetime, bool refreshable,
                                                  const std::string& display_name) const {
  const absl::Time now = clock_.Now();
  session.create_time = now;
  session.expire_time = std::min(now + lifetime, AbsoluteEnd(session));
  ASSIGN_OR_RETURN(session.id, sessions_.Insert(tx, session, now));
  IssuedSession issued = SignAccess(session, display_name);
  if (refreshable) {
    issued.refresh_token = NewSecretToken(kRefreshTokenPrefix);
    issued.refresh_token_expire_time = session.expire_time;
    RETURN_IF_ERROR(sessions_.InsertRefreshToken(tx, SecretDigest(issued.refresh_token), session.id,
                                                 now, session.expire_time));
  }
  return issued;
}

absl::StatusOr<IssuedSession> SessionIssuer::Rotate(db::Transaction& tx, const Session& session,
                                                    const std::string& display_name) const {
  const absl::Time now = clock_.Now();
  Session extended = session;
  // Rotation extends the refresh window, never past the session's absolute end.
  extended.expire_time = std::min(now + config_.refresh_token_lifetime, AbsoluteEnd(session));
  RETURN_IF_ERROR(sessions_.ExtendTo(tx, session.id, extended.expire_time));
  IssuedSession issued = SignAccess(extended, display_name);
  issued.refresh_token = NewSecretToken(kRefreshTokenPrefix);
  issued.refresh_token_expire_time = extended.expire_time;
  RETURN_IF_ERROR(sessions_.InsertRefreshToken(tx, SecretDigest(issued.refresh_token), session.id,
                                               now, extended.expire_time));
  return issued;
}

void SessionIssuer::AddKioskTicket(IssuedSession& issued, absl::Duration window) const {
  auth::KioskTicket ticket;
  // Names the ticket in the evidence kept with each event it covers.
  ticket.ticket_id = NewSecretToken("t_").substr(0, 24);
  ticket.member_id = issued.caller.member_id;
  ticket.kiosk_id = issued.caller.kiosk_id;
  ticket.issued = clock_.Now();
  ticket.expires = ticket.issued + window;
  issued.kiosk_ticket = signer_.Seal(ticket);
  issued.kiosk_ticket_expire_time = ticket.expires;
}

}  // namespace lms::identity
