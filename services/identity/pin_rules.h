#pragma once

#include <string>

#include "common/status/field_errors.h"
#include "services/identity/account.h"

namespace lms::identity {

// A kiosk PIN is 4 to 8 digits; adds a violation of `field` otherwise.
void CheckPinFormat(status::FieldErrors& errors, const std::string& field, const std::string& pin);

// Why `pin` is among the first a guesser tries for `account`, or "" when it is not: one
// digit repeated (0000, 888888) or a repeated block (1212, 520520), a run up or down
// the digits (1234, 4321, 7890), a well-known pattern (2580, 5201314, 147258), the
// member's birth year, or the end of their member number or phone. A kiosk signs members
// in by number, so ten tries over a shared device must not find one.
[[nodiscard]] std::string WeakPinReason(const std::string& pin, const Account& account);

}  // namespace lms::identity
