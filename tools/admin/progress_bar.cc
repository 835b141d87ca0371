#include "tools/admin/progress_bar.h"

namespace lms::admin {

void DrawProgress(std::ostream& out, size_t done, size_t total, const std::string& unit) {
  constexpr int kWidth = 30;
  const size_t shown = done > total ? total : done;
  const int filled = total == 0 ? kWidth : static_cast<int>(kWidth * shown / total);
  out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
      << (total == 0 ? 100 : 100 * shown / total) << "% " << shown << "/" << total << " " << unit
      << std::flush;
}

}  // namespace lms::admin
