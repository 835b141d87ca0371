#include "common/auth/exam_chain.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"

namespace lms::auth {
namespace {

constexpr absl::string_view kSealDomain = "lms-exam-seal-v1.";

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string SignedMessage(absl::string_view seal_bytes) {
  return absl::StrCat(kSealDomain, ExamDigest(seal_bytes));
}

VerifiedChain Fault(ChainFault fault, std::string detail) {
  VerifiedChain verified;
  verified.fault = fault;
  verified.detail = std::move(detail);
  return verified;
}

}  // namespace

std::string ExamDigest(absl::string_view bytes) {
  unsigned char digest[crypto_generichash_BYTES];
  static_assert(crypto_generichash_BYTES == 32, "BLAKE2b-256");
  crypto_generichash(digest, sizeof(digest), Bytes(bytes), bytes.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

v1::SealedExamEntry SealExamLink(const v1::ExamSeal& seal, absl::string_view secret_key) {
  v1::SealedExamEntry entry;
  entry.set_seal(seal.SerializeAsString());
  const std::string message = SignedMessage(entry.seal());
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, Bytes(message), message.size(), Bytes(secret_key));
  entry.set_signature(reinterpret_cast<const char*>(signature), sizeof(signature));
  return entry;
}

VerifiedChain VerifyExamChain(
    absl::string_view lease_text, int64_t attempt_id, absl::string_view public_key,
    const google::protobuf::RepeatedPtrField<v1::SealedExamEntry>& chain) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return Fault(ChainFault::kSignature, "the lease names no usable kiosk key");
  }
  VerifiedChain verified;
  std::string previous = ExamDigest(lease_text);
  int64_t elapsed = 0;
  for (int i = 0; i < chain.size(); ++i) {
    const v1::SealedExamEntry& entry = chain[i];
    const std::string message = SignedMessage(entry.seal());
    if (entry.signature().size() != crypto_sign_BYTES ||
        crypto_sign_verify_detached(Bytes(entry.signature()), Bytes(message), message.size(),
                                    Bytes(public_key)) != 0) {
      return Fault(ChainFault::kSignature,
                   absl::StrCat("link ", i + 1, " is not signed by the lease's kiosk key"));
    }
    v1::ExamSeal seal;
    if (!seal.ParseFromString(entry.seal())) {
      return Fault(ChainFault::kMalformed, absl::StrCat("link ", i + 1, " is not a seal"));
    }
    if (seal.previous_digest() != previous) {
      return Fault(
          ChainFault::kBroken,
          absl::StrCat("link ", i + 1, " (sequence ", seal.sequence(), ") does not follow ",
                       i == 0 ? "the lease" : absl::StrCat("link ", i)));
    }
    if (seal.attempt_id() != attempt_id) {
      return Fault(ChainFault::kMalformed,
                   absl::StrCat("link ", i + 1, " seals attempt ", seal.attempt_id()));
    }
    if (seal.sequence() != i + 1) {
      return Fault(ChainFault::kMalformed,
                   absl::StrCat("link ", i + 1, " says it is number ", seal.sequence()));
    }
    const bool first = i == 0;
    const bool finish = seal.kind() == v1::EXAM_SEAL_KIND_FINISH;
    if (first != (seal.kind() == v1::EXAM_SEAL_KIND_START) ||
        (!first && !finish && seal.kind() != v1::EXAM_SEAL_KIND_ANSWER) ||
        (finish && i + 1 != chain.size())) {
      return Fault(ChainFault::kMalformed,
                   absl::StrCat("link ", i + 1, " is a ", v1::ExamSealKind_Name(seal.kind()),
                                ": a chain is START, answers, FINISH"));
    }
    if ((first && seal.elapsed_ms() != 0) || seal.elapsed_ms() < elapsed) {
      return Fault(ChainFault::kMalformed, absl::StrCat("link ", i + 1, "'s time (",
                                                        seal.elapsed_ms(), " ms) runs backwards"));
    }
    elapsed = seal.elapsed_ms();
    previous = ExamDigest(entry.seal());
    verified.links.push_back(std::move(seal));
  }
  if (verified.links.empty() || verified.links.back().kind() != v1::EXAM_SEAL_KIND_FINISH) {
    return Fault(ChainFault::kTruncated,
                 absl::StrCat("the chain stops after ", chain.size(), " links, before FINISH"));
  }
  verified.last_digest = std::move(previous);
  return verified;
}

}  // namespace lms::auth
