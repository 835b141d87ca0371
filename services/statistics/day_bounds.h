#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/param.h"
#include "common/time/china_time.h"

namespace lms::statistics {

// "As of D" means by the end of D in China: the first instant of the next China day,
// exclusive.
[[nodiscard]] inline absl::Time EndOfChinaDay(absl::CivilDay day) {
  return absl::FromCivil(day + 1, ChinaTimeZone());
}

// A received-by bound as a statement parameter (compared with `<=` to a record or receive
// time); InfiniteFuture, "everything received", as a time later than any stored.
[[nodiscard]] inline db::Param ReceivedByParam(absl::Time received_by) {
  if (received_by == absl::InfiniteFuture()) return db::Param("9999-12-31 23:59:59");
  return db::Param(received_by);
}

}  // namespace lms::statistics
