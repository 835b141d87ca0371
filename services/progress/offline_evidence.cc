#include "services/progress/offline_evidence.h"

namespace lms::progress {

PendingReason CheckedEvidence::ForEvent(absl::Time happened, absl::Duration slack) const {
  switch (kind) {
    case EvidenceKind::kKioskTicket:
    case EvidenceKind::kPhoneIdentification:
      if (key_revoked) return PendingReason::kKeyRevoked;
      if (happened < window_start - slack || happened > window_end + slack) {
        return PendingReason::kOutsideEvidence;
      }
      return PendingReason::kNone;
    case EvidenceKind::kKioskClaim:
    case EvidenceKind::kNone:
      break;
  }
  return PendingReason::kClaimOnly;
}

}  // namespace lms::progress
