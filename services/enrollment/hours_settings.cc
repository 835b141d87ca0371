#include "services/enrollment/hours_settings.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace lms::enrollment {
namespace {

const char* CategoryKey(MemberCategory category) {
  switch (category) {
    case MemberCategory::kProbationary:
      return "study_hours.required.probationary";
    case MemberCategory::kBranchSecretary:
      return "study_hours.required.branch_secretary";
    case MemberCategory::kLeadingCadre:
      return "study_hours.required.leading_cadre";
    case MemberCategory::kRetired:
      return "study_hours.required.retired";
    case MemberCategory::kMobile:
      return "study_hours.required.mobile";
    case MemberCategory::kOrdinary:
    case MemberCategory::kUnspecified:
      break;
  }
  return "study_hours.required.ordinary";
}

}  // namespace

absl::StatusOr<settings::EffectiveSetting> HoursSettings::Default(db::Transaction& tx,
                                                                  MemberCategory category,
                                                                  int64_t organization_id,
                                                                  absl::CivilDay day) const {
  return reader_.Get(tx, CategoryKey(category), organization_id, day);
}

absl::StatusOr<settings::EffectiveSetting> HoursSettings::JoinerRule(db::Transaction& tx,
                                                                     int64_t organization_id,
                                                                     absl::CivilDay day) const {
  return reader_.Get(tx, "study_hours.joiner_pro_rata", organization_id, day);
}

absl::StatusOr<int64_t> HoursSettings::DefaultHundredths(db::Transaction& tx,
                                                         MemberCategory category,
                                                         int64_t organization_id,
                                                         absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const settings::EffectiveSetting setting,
                   Default(tx, category, organization_id, day));
  return setting.value;
}

absl::StatusOr<bool> HoursSettings::JoinersProRata(db::Transaction& tx, int64_t organization_id,
                                                   absl::CivilDay day) const {
  ASSIGN_OR_RETURN(const settings::EffectiveSetting setting, JoinerRule(tx, organization_id, day));
  return setting.value != 0;
}

}  // namespace lms::enrollment
