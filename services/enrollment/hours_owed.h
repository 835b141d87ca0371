#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/transaction.h"
#include "services/enrollment/hours_settings.h"
#include "services/enrollment/member_directory.h"
#include "services/enrollment/requirement_union.h"

namespace lms::enrollment {

// The hours a member owes in a year: the union of the published plans covering them
// (UnionOfPlans), with the settings' defaults and the joiners' pro-rata rule in force on
// `today`. Shared by "my learning" and the progress service's hours summary, so both show
// the same figure. Stateless; thread-safe.
class HoursOwed {
 public:
  explicit HoursOwed(const MemberDirectory& members) : members_(members) {}

  // nullopt when the member does not exist.
  [[nodiscard]] absl::StatusOr<std::optional<HoursObligation>> Of(db::Transaction& tx,
                                                                  int64_t member_id, int year,
                                                                  absl::CivilDay today) const;

 private:
  const MemberDirectory& members_;
  const HoursSettings hours_{};
};

}  // namespace lms::enrollment
