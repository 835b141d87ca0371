#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "services/statistics/organization_figures.h"

namespace lms::statistics {

// SHA-256, in lowercase hex, of `figures` in a canonical text form (organisations and
// category rows in order, every field, fixed separators): equal figures give equal
// hashes, whoever computed them and however, so an inspector can check that a reproduced
// report says exactly what the cited one said (ReportStamp.figures_hash).
[[nodiscard]] std::string FiguresHash(const SubtreeFigures& figures);

// SHA-256, in lowercase hex, of a report's canonical text (which starts with its own
// versioned tag, as "lms-figures-v1" does).
[[nodiscard]] std::string CanonicalTextHash(absl::string_view text);

}  // namespace lms::statistics
