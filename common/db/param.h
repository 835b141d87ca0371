#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace lms::db {

// One bound parameter of a prepared statement. Values are copied, so a Param may outlive
// the expression that made it. Times are bound as UTC DATETIME(6) text.
class Param {
 public:
  Param(std::nullptr_t) : value_(nullptr) {}  // NOLINT: SQL NULL
  template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer> &&
                                                          !std::is_same_v<Integer, bool>>>
  Param(Integer v) : value_(static_cast<int64_t>(v)) {}   // NOLINT
  Param(absl::string_view v) : value_(std::string(v)) {}  // NOLINT
  Param(const std::string& v) : value_(v) {}              // NOLINT
  Param(std::string&& v) : value_(std::move(v)) {}        // NOLINT
  Param(const char* v) : value_(std::string(v)) {}        // NOLINT
  Param(double v) : value_(v) {}                          // NOLINT
  Param(absl::Time t);                                    // NOLINT
  Param(absl::CivilDay day);                              // NOLINT: a DATE

  // An optional reference stored as NULL when absent (id 0).
  static Param NullIfZero(int64_t id) {
    if (id == 0) return Param(nullptr);
    return Param(id);
  }

  // An optional DATE, NULL when unset.
  static Param DayOrNull(const std::optional<absl::CivilDay>& day) {
    if (!day.has_value()) return Param(nullptr);
    return Param(*day);
  }
  // An optional DATETIME, NULL for absl::InfinitePast() ("never").
  static Param TimeOrNull(absl::Time t) {
    if (t == absl::InfinitePast()) return Param(nullptr);
    return Param(t);
  }
  // Booleans are explicit: an implicit bool converts from any pointer.
  static Param Bool(bool b) { return Param(static_cast<int64_t>(b ? 1 : 0)); }

  const std::variant<std::nullptr_t, int64_t, std::string, double>& value() const { return value_; }

 private:
  std::variant<std::nullptr_t, int64_t, std::string, double> value_;
};

// Formats a time as MariaDB DATETIME(6) text in UTC.
std::string FormatDateTime(absl::Time t);

}  // namespace lms::db
