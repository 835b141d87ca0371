#pragma once

#include <sodium.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace lms::export_file {

// SHA-256 of bytes fed a piece at a time (a streamed file's, its rows' canonical text),
// in lowercase hex. Not thread-safe.
class Sha256Stream {
 public:
  Sha256Stream() { crypto_hash_sha256_init(&state_); }
  void Update(absl::string_view bytes) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  // Once, at the end.
  [[nodiscard]] std::string HexDigest() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    return absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  }

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace lms::export_file
