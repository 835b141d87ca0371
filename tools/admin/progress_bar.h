#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace lms::admin {

// Redraws a one-line progress bar on a terminal: "[#####     ] 50% 5/10 rows".
void DrawProgress(std::ostream& out, size_t done, size_t total, const std::string& unit);

}  // namespace lms::admin
