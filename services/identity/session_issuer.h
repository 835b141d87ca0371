#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/access_token.h"
#include "common/auth/session_repository.h"
#include "common/db/transaction.h"
#include "common/time/clock.h"
#include "services/identity/account.h"
#include "services/identity/identity_config.h"

namespace lms::identity {

// Opens sessions and hands out their tokens: a signed access token naming the session,
// and for refreshable sessions a rotating refresh token stored only as its digest.
// Thread-safe (stateless apart from immutable configuration).
class SessionIssuer {
 public:
  SessionIssuer(const auth::AccessTokenSigner& signer, const IdentityConfig& config,
                const Clock& clock)
      : signer_(signer), config_(config), clock_(clock) {}

  // Inside `tx`: stores `session` (role, member, organisation, kiosk) for `lifetime`,
  // with a first refresh token when `refreshable`.
  [[nodiscard]] absl::StatusOr<IssuedSession> Open(db::Transaction& tx, Session session,
                                                   absl::Duration lifetime, bool refreshable,
                                                   const std::string& display_name) const;
  // Inside `tx`: a new access token and a new refresh token for an open session, whose
  // life is extended by the refresh lifetime.
  [[nodiscard]] absl::StatusOr<IssuedSession> Rotate(db::Transaction& tx, const Session& session,
                                                     const std::string& display_name) const;
  // Adds to a kiosk member's session the ticket for the kiosk's offline uploads: it covers
  // `window` from now.
  void AddKioskTicket(IssuedSession& issued, absl::Duration window) const;

 private:
  // When `session` ends at the latest: its opening plus the role's absolute lifetime.
  absl::Time AbsoluteEnd(const Session& session) const;

  IssuedSession SignAccess(const Session& session, const std::string& display_name) const;

  const auth::AccessTokenSigner& signer_;
  const IdentityConfig& config_;
  const Clock& clock_;
  const auth::SessionRepository sessions_{};
};

}  // namespace lms::identity
