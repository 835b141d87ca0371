#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace lms::text {

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF). Protobuf checks string fields too, but bytes reach us from files and SQL.
[[nodiscard]] bool IsValidUtf8(absl::string_view s);

// Number of code points in valid UTF-8 (limits are counted in characters, not bytes,
// so a 200-character Chinese title is 600 bytes and still fits).
[[nodiscard]] std::size_t CodePointCount(absl::string_view s);

// NFKC case folding: full-width ＡＢＣ and half-width abc, Ｋ and k compare equal; used
// for search keys. Returns nullopt for invalid UTF-8.
[[nodiscard]] std::optional<std::string> FoldForSearch(absl::string_view s);

// NFKC normalisation, nothing else (case and spaces kept): the same password typed on a
// phone's full-width keyboard and on a kiosk compares equal (NIST SP 800-63B 5.1.1.2).
// Returns nullopt for invalid UTF-8.
[[nodiscard]] std::optional<std::string> NormalizeNfkc(absl::string_view s);

// Whether the string has control characters other than tab, newline, carriage return
// (they break logs, CSV exports and terminals).
[[nodiscard]] bool HasControlCharacters(absl::string_view s);

}  // namespace lms::text
