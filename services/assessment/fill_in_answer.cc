#include "services/assessment/fill_in_answer.h"

#include <utf8proc.h>

#include <optional>

#include "common/text/text.h"

namespace lms::assessment {
namespace {

bool Ignored(utf8proc_int32_t code_point) {
  switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string NormalizeFillIn(absl::string_view text) {
  const std::optional<std::string> folded = text::FoldForSearch(text);
  if (!folded.has_value()) return "";
  std::string kept;
  kept.reserve(folded->size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded->data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(folded->size());
  while (remaining > 0) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, remaining, &code_point);
    if (n <= 0) return "";
    if (!Ignored(code_point)) kept.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    remaining -= n;
  }
  return kept;
}

}  // namespace lms::assessment
