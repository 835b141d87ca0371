#include "common/db/row.h"

#include <cppconn/resultset.h>

namespace lms::db {

bool Row::IsNull(int column) const { return result_.isNull(column); }

int64_t Row::Int64(int column) const { return result_.getInt64(column); }

double Row::Double(int column) const { return static_cast<double>(result_.getDouble(column)); }

std::string Row::String(int column) const { return std::string(result_.getString(column)); }

absl::Time Row::Time(int column) const {
  if (result_.isNull(column)) return absl::InfinitePast();
  const std::string text(result_.getString(column));
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

std::optional<absl::CivilDay> Row::Day(int column) const {
  if (result_.isNull(column)) return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(std::string(result_.getString(column)), &day)) return std::nullopt;
  return day;
}

}  // namespace lms::db
