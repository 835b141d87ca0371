#include "common/grpc/proto_time.h"

namespace lms::grpc_util {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* proto) {
  if (t == absl::InfinitePast()) return;
  const int64_t micros = absl::ToUnixMicros(t);
  proto->set_seconds(micros / 1'000'000);
  proto->set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
}

absl::Time TimeFromProto(const google::protobuf::Timestamp& proto) {
  // 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, as google/protobuf/timestamp.proto says.
  constexpr int64_t kMinSeconds = -62'135'596'800;
  constexpr int64_t kMaxSeconds = 253'402'300'799;
  if ((proto.seconds() == 0 && proto.nanos() == 0) || proto.seconds() < kMinSeconds ||
      proto.seconds() > kMaxSeconds || proto.nanos() < 0 || proto.nanos() > 999'999'999) {
    return absl::InfinitePast();
  }
  return absl::FromUnixSeconds(proto.seconds()) + absl::Nanoseconds(proto.nanos());
}

std::optional<absl::CivilDay> DayFromProto(const v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return std::nullopt;
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1000 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return absl::CivilDay(1, 1, 1);
  }
  return day;
}

void SetDate(absl::CivilDay day, v1::Date* proto) {
  proto->set_year(static_cast<int32_t>(day.year()));
  proto->set_month(day.month());
  proto->set_day(day.day());
}

}  // namespace lms::grpc_util
