#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "lms/v1/assessment.pb.h"

namespace lms::auth {

// A kiosk exam lease (README "Offline exams on kiosks"): lms.v1.KioskExamLeaseClaims
// sealed with the server's token key, text form `el1.…` (see signed_envelope.h). The
// server trusts a lease only after OpenExamLease; the kiosk reads it with PeekExamLease.
[[nodiscard]] std::string SealExamLease(const v1::KioskExamLeaseClaims& claims,
                                        absl::string_view secret_key);

// The claims, if `text` is a lease signed by `public_key`.
[[nodiscard]] std::optional<v1::KioskExamLeaseClaims> OpenExamLease(absl::string_view text,
                                                                    absl::string_view public_key);

// The claims unverified: for a kiosk, which does not need the server's key to show them.
[[nodiscard]] std::optional<v1::KioskExamLeaseClaims> PeekExamLease(absl::string_view text);

}  // namespace lms::auth
