#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lms::course {

// Checks that an article body uses only the restricted HTML of the contract: tags p, br,
// h2-h4, strong, b, em, i, u, ul, ol, li, blockquote, img; no attributes but img's src
// (http/https) and alt; no comments, scripts or styles. Kiosks and phones render bodies
// in web views, so anything else is refused rather than stored: a stored script would run
// on every member's device. Returns a description of the first problem, or "" if valid.
[[nodiscard]] std::string CheckArticleHtml(absl::string_view html);

}  // namespace lms::course
