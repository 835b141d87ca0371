#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "services/progress/progress.h"

namespace lms::progress {

// Numbers equal lms.v1.EvidenceKind.
enum class EvidenceKind : int {
  kNone = 0,
  kKioskTicket = 1,
  kPhoneIdentification = 2,
  kKioskClaim = 3
};

// The evidence a kiosk uploaded with one member's events, as it came.
struct UploadedEvidence {
  EvidenceKind kind = EvidenceKind::kNone;
  std::string text;  // the ticket or identification; empty for a claim
  bool pin_checked = false;
};

// What the server made of it (README "Offline study: the trust model").
struct CheckedEvidence {
  EvidenceKind kind = EvidenceKind::kNone;
  // Set when the evidence refuses the member's events outright: forged or malformed
  // (kEvidenceInvalid), made for another kiosk or member, a member the kiosk does not
  // serve.
  EventRejection rejection = EventRejection::kNone;
  std::string detail;
  // The ticket's id or the key's id ("" for a claim), and the window it vouches for.
  std::string reference;
  absl::Time window_start = absl::InfinitePast();
  absl::Time window_end = absl::InfinitePast();
  // A phone key revoked since: nothing it signs counts without confirmation.
  bool key_revoked = false;
  bool pin_checked = false;

  // For an event that happened at `happened` (device clock corrected): kNone when the
  // evidence covers it, else why it waits. `slack` widens the window at both ends (the
  // clock-skew allowance). Only for evidence with no rejection.
  [[nodiscard]] PendingReason ForEvent(absl::Time happened, absl::Duration slack) const;
};

}  // namespace lms::progress
