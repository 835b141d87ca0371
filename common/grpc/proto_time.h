#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lms/v1/common.pb.h"

namespace lms::grpc_util {

// Sets a Timestamp from a time; leaves it unset for absl::InfinitePast() ("never").
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* proto);
// The time a Timestamp holds: absl::InfinitePast() when unset (all zero) or outside
// Timestamp's own valid range, so a domain check refuses it as missing.
[[nodiscard]] absl::Time TimeFromProto(const google::protobuf::Timestamp& proto);

// A Date message as a day: nullopt when unset (all zero). A set but impossible date
// (2026-02-30, month 13) maps to year 1, which every domain range check refuses, so the
// error names the field instead of the day silently rolling over.
[[nodiscard]] std::optional<absl::CivilDay> DayFromProto(const v1::Date& date);
void SetDate(absl::CivilDay day, v1::Date* proto);

}  // namespace lms::grpc_util
