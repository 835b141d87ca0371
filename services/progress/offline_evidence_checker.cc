#include "services/progress/offline_evidence_checker.h"

#include "absl/strings/str_cat.h"
#include "common/auth/kiosk_ticket.h"
#include "common/auth/phone_identification.h"
#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

CheckedEvidence Refused(CheckedEvidence evidence, EventRejection rejection, std::string detail) {
  evidence.rejection = rejection;
  evidence.detail = std::move(detail);
  return evidence;
}

// The kiosk and member a ticket or identification names, against the upload's.
CheckedEvidence Bound(CheckedEvidence evidence, int64_t named_kiosk, int64_t named_member,
                      int64_t kiosk_id, int64_t member_id) {
  if (named_kiosk != kiosk_id) {
    return Refused(std::move(evidence), EventRejection::kEvidenceWrongKiosk,
                   absl::StrCat("made for kiosk ", named_kiosk));
  }
  if (named_member != member_id) {
    return Refused(std::move(evidence), EventRejection::kEvidenceWrongMember,
                   absl::StrCat("names member ", named_member));
  }
  return evidence;
}

}  // namespace

absl::StatusOr<CheckedEvidence> OfflineEvidenceChecker::Check(db::Transaction& tx,
                                                              const UploadedEvidence& uploaded,
                                                              int64_t kiosk_id, int64_t member_id,
                                                              absl::Time received,
                                                              const ProgressRules& rules) const {
  CheckedEvidence evidence;
  evidence.kind = uploaded.kind;
  switch (uploaded.kind) {
    case EvidenceKind::kKioskTicket: {
      const std::optional<auth::KioskTicket> ticket =
          auth::OpenKioskTicket(uploaded.text, token_public_key_);
      if (!ticket.has_value()) {
        return Refused(evidence, EventRejection::kEvidenceInvalid,
                       "kiosk_ticket: not a ticket this site signed");
      }
      evidence.reference = ticket->ticket_id;
      evidence.window_start = ticket->issued;
      evidence.window_end = ticket->expires;
      return Bound(std::move(evidence), ticket->kiosk_id, ticket->member_id, kiosk_id, member_id);
    }
    case EvidenceKind::kPhoneIdentification:
      return CheckPhone(tx, uploaded, kiosk_id, member_id, received, rules);
    case EvidenceKind::kKioskClaim:
      evidence.pin_checked = uploaded.pin_checked;
      return evidence;
    case EvidenceKind::kNone:
      break;
  }
  return Refused(evidence, EventRejection::kEvidenceInvalid, "no evidence");
}

absl::StatusOr<CheckedEvidence> OfflineEvidenceChecker::CheckPhone(
    db::Transaction& tx, const UploadedEvidence& uploaded, int64_t kiosk_id, int64_t member_id,
    absl::Time received, const ProgressRules& rules) const {
  CheckedEvidence evidence;
  evidence.kind = EvidenceKind::kPhoneIdentification;
  // Which key to check it with is inside it; nothing else it says counts until checked.
  const std::optional<auth::PhoneIdentification> claimed =
      auth::PeekPhoneIdentification(uploaded.text);
  if (!claimed.has_value()) {
    return Refused(evidence, EventRejection::kEvidenceInvalid, "phone_identification: malformed");
  }
  ASSIGN_OR_RETURN(const std::optional<PhoneKeyRecord> key,
                   offline_.FindPhoneKey(tx, claimed->key_id));
  if (!key.has_value() || key->member_id != claimed->member_id) {
    return Refused(evidence, EventRejection::kEvidenceInvalid,
                   "phone_identification: not a key of that member");
  }
  const std::optional<auth::PhoneIdentification> identification =
      auth::OpenPhoneIdentification(uploaded.text, key->public_key);
  if (!identification.has_value()) {
    return Refused(evidence, EventRejection::kEvidenceInvalid,
                   "phone_identification: the signature does not verify");
  }
  evidence.reference = absl::StrCat(identification->key_id);
  evidence.window_start = identification->issued;
  evidence.window_end = identification->expires;
  evidence.key_revoked = key->revoked;
  if (identification->expires - identification->issued > rules.identification_max) {
    return Refused(std::move(evidence), EventRejection::kEvidenceInvalid,
                   absl::StrCat("phone_identification: a window longer than ",
                                absl::ToInt64Hours(rules.identification_max), " hours"));
  }
  // Signed for later than the upload: a phone clock set forward to stretch the window.
  if (identification->issued > received + rules.clock_skew) {
    return Refused(std::move(evidence), EventRejection::kEvidenceInvalid,
                   "phone_identification: starts after it was uploaded");
  }
  return Bound(std::move(evidence), identification->kiosk_id, identification->member_id, kiosk_id,
               member_id);
}

}  // namespace lms::progress
