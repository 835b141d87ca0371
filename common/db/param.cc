#include "common/db/param.h"

namespace lms::db {

std::string FormatDateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

Param::Param(absl::Time t) : value_(FormatDateTime(t)) {}

Param::Param(absl::CivilDay day) : value_(absl::FormatCivilTime(day)) {}

}  // namespace lms::db
