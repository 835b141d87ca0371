#include "services/enrollment/hours_owed.h"

#include "common/domain/categories.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {

absl::StatusOr<std::optional<HoursObligation>> HoursOwed::Of(db::Transaction& tx, int64_t member_id,
                                                             int year, absl::CivilDay today) const {
  ASSIGN_OR_RETURN(const std::optional<MemberDirectory::WithCoveringHours> found,
                   members_.FindWithCoveringHours(tx, member_id, year));
  if (!found.has_value()) return std::nullopt;
  const Enrollee& member = found->member;
  // The setting matters only to a member who joined during the year.
  bool pro_rata = false;
  if (member.join_date.has_value() && member.join_date->year() == year) {
    ASSIGN_OR_RETURN(pro_rata, hours_.JoinersProRata(tx, member.organization_id, today));
  }
  absl::Status defaults = absl::OkStatus();
  const HoursObligation hours =
      UnionOfPlans(found->plans, MemberCategoriesFromMask(member.category_mask), year,
                   member.join_date, pro_rata,
                   [&](MemberCategory category, int64_t organization_id) {
                     absl::StatusOr<int64_t> default_hours = hours_.DefaultHundredths(
                         tx, category,
                         organization_id != 0 ? organization_id : member.organization_id, today);
                     if (!default_hours.ok()) {
                       defaults = default_hours.status();
                       return int64_t{0};
                     }
                     return *default_hours;
                   })
          .hours;
  RETURN_IF_ERROR(defaults);
  return hours;
}

}  // namespace lms::enrollment
