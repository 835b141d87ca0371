#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace lms::identity {

// A member's phone key: the phone signs identifications with it that a kiosk scans while
// offline (README "Offline study: the trust model"). Only the public half is known here.
struct DeviceKeyRecord {
  int64_t id = 0;
  int64_t member_id = 0;
  std::string public_key;  // raw Ed25519 public key, crypto_sign_PUBLICKEYBYTES bytes
  std::string name;
  absl::Time register_time;
  absl::Time revoke_time = absl::InfinitePast();  // InfinitePast while live

  [[nodiscard]] bool revoked() const { return revoke_time != absl::InfinitePast(); }
};

}  // namespace lms::identity
