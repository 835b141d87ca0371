#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "lms/v1/assessment.pb.h"

namespace lms::auth {

// The sealed answer chain of an offline kiosk exam (README "Offline exams on kiosks").
// Each link is a serialized lms.v1.ExamSeal naming the BLAKE2b-256 digest of the link
// before it (the first names the lease text's), signed with Ed25519 by the key the kiosk
// made for the exam (named in the lease) over "lms-exam-seal-v1." + the link's digest.
// Editing a link breaks its signature; removing, inserting or reordering links breaks
// the digests; cutting the end loses the FINISH link, which only the key can make.

// BLAKE2b-256 of `bytes` (32 raw bytes).
[[nodiscard]] std::string ExamDigest(absl::string_view bytes);

// The kiosk's side: seals `seal` (previous_digest already set) with the exam's secret key
// (crypto_sign_SECRETKEYBYTES).
[[nodiscard]] v1::SealedExamEntry SealExamLink(const v1::ExamSeal& seal,
                                               absl::string_view secret_key);

// What is wrong with a chain, first fault first.
enum class ChainFault {
  kNone,
  kSignature,  // a link not signed by the lease's key: edited, or re-signed
  kBroken,     // a link that does not follow the one before: removed, inserted, reordered
  kTruncated,  // no FINISH at the end
  kMalformed,  // signed, yet impossible: not a seal, another attempt, time going back...
};

struct VerifiedChain {
  ChainFault fault = ChainFault::kNone;
  // Which link, and what about it.
  std::string detail;
  // The links in order, when the chain holds.
  std::vector<v1::ExamSeal> links;
  // Of the last link: names this exact chain (a re-upload of it is recognised).
  std::string last_digest;
};

// The server's side: the chain of `attempt_id` under the lease `lease_text`, whose
// kiosk key is `public_key`. Checks the links' form, signatures and order (START first
// at elapsed 0, then ANSWERs, FINISH last; elapsed never decreasing); what the answers
// say is the caller's business.
[[nodiscard]] VerifiedChain VerifyExamChain(
    absl::string_view lease_text, int64_t attempt_id, absl::string_view public_key,
    const google::protobuf::RepeatedPtrField<v1::SealedExamEntry>& chain);

}  // namespace lms::auth
