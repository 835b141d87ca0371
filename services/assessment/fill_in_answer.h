#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace lms::assessment {

// The form a fill-in answer is compared in: NFKC (full-width ＡＢＣ１２３ and half-width
// abc123 alike), case folded, without whitespace and without punctuation (Unicode
// categories P*, so Chinese 。，、“”《》 as well as Western .,;"), so "党章。" typed on a
// phone's full-width keyboard matches the accepted "党章". Invalid UTF-8 compares as "".
[[nodiscard]] std::string NormalizeFillIn(absl::string_view text);

}  // namespace lms::assessment
