#include "common/settings/setting_definitions.h"

namespace lms::settings {
namespace {

constexpr int64_t kMaxHundredths = 100'000;  // 1,000 hours
constexpr int64_t kMaxPerYear = 366;

}  // namespace

const std::vector<SettingDefinition>& AllSettingDefinitions() {
  static const auto* const kDefinitions = new std::vector<SettingDefinition>{
      {"study_hours.required.ordinary",
       "study hours a year required of an ordinary member, in hundredths of an hour", 3200, 0,
       kMaxHundredths},
      {"study_hours.required.probationary",
       "study hours a year required of a probationary member (预备党员), in hundredths", 3200, 0,
       kMaxHundredths},
      {"study_hours.required.branch_secretary",
       "study hours a year required of a branch secretary or committee member (支部书记/支委), "
       "in hundredths",
       5600, 0, kMaxHundredths},
      {"study_hours.required.leading_cadre",
       "study hours a year required of a leading cadre (领导干部), in hundredths", 3200, 0,
       kMaxHundredths},
      {"study_hours.required.retired",
       "study hours a year required of a retired member (离退休党员), in hundredths", 3200, 0,
       kMaxHundredths},
      {"study_hours.required.mobile",
       "study hours a year required of a mobile member (流动党员), in hundredths", 3200, 0,
       kMaxHundredths},
      {"study_hours.joiner_pro_rata",
       "1: a member who joins during the year owes the year's hours pro rata by whole months"
       " left; 0: the whole year's hours",
       1, 0, 1},
      {"study_hours.self_study.daily_cap",
       "most self-study hours credited to a member in one day, in hundredths", 800, 0, 2400},
      {"study_hours.self_study.credit_percent",
       "share of a self-study course's hours credited on completion, in percent", 100, 0, 100},
      {"study_hours.passed_test", "hours credited for passing a test, in hundredths", 100, 0,
       kMaxHundredths},
      // Activity hours are per half day: an activity of up to 4 hours earns the figure
      // once, a longer one once per started half day (at most two a calendar day).
      {"activity.hours.branch_general_meeting",
       "hours credited for attending a branch general meeting (支部党员大会), per half day, in"
       " hundredths",
       200, 0, kMaxHundredths},
      {"activity.hours.branch_committee_meeting",
       "hours credited for attending a branch committee meeting (支委会), per half day, in"
       " hundredths",
       100, 0, kMaxHundredths},
      {"activity.hours.group_meeting",
       "hours credited for attending a Party group meeting (党小组会), per half day, in"
       " hundredths",
       100, 0, kMaxHundredths},
      {"activity.hours.party_lecture",
       "hours credited for attending a Party lecture (党课), per half day, in hundredths", 200, 0,
       kMaxHundredths},
      {"activity.hours.theme_party_day",
       "hours credited for taking part in a theme Party day (主题党日), per half day, in"
       " hundredths",
       200, 0, kMaxHundredths},
      {"activity.hours.expert_lecture",
       "hours credited for attending an expert lecture (请进来), per half day, in hundredths", 400,
       0, kMaxHundredths},
      {"activity.hours.visit",
       "hours credited for a study visit (走出去), per half day, in hundredths", 400, 0,
       kMaxHundredths},
      {"activity.hours.organizational_life_meeting",
       "hours credited for attending an organisational life meeting (组织生活会), per half day,"
       " in hundredths",
       200, 0, kMaxHundredths},
      {"activity.hours.training_class",
       "hours credited for attending a training class (集中培训), per half day, in hundredths", 400,
       0, kMaxHundredths},
      {"activity.hours.lecturer",
       "hours credited to a member who gives a lecture (讲党课), per half day, in hundredths", 400,
       0, kMaxHundredths},
      {"activity.makeup_days",
       "days after an activity within which a member who missed it may complete its make-up"
       " course (补学) to earn its hours",
       60, 1, 366},
      {"activity.credit_by_presence",
       "1: at an activity with sign-out, a member is credited the share of its time they were"
       " present (signed in to signed out); 0: the whole hours for signing in",
       1, 0, 1},
      // Cadences (三会一课) by the kind of organisation that owes them: branches hold the
      // meetings, lectures and theme days; groups their group meetings; general branches
      // their own general and committee meetings.
      {"activity.cadence.branch_general_meeting",
       "branch general meetings a branch holds a year (quarterly)", 4, 0, kMaxPerYear},
      {"activity.cadence.branch_committee_meeting",
       "branch committee meetings a branch holds a year (monthly)", 12, 0, kMaxPerYear},
      {"activity.cadence.group_meeting", "Party group meetings a group holds a year (monthly)", 12,
       0, kMaxPerYear},
      {"activity.cadence.party_lecture", "Party lectures a branch holds a year (quarterly)", 4, 0,
       kMaxPerYear},
      {"activity.cadence.theme_party_day", "theme Party days a branch holds a year (monthly)", 12,
       0, kMaxPerYear},
      {"activity.cadence.organizational_life_meeting",
       "organisational life meetings a branch holds a year (yearly)", 1, 0, kMaxPerYear},
      {"activity.cadence.general_branch.branch_general_meeting",
       "general meetings a general branch (党总支) holds a year (half-yearly)", 2, 0, kMaxPerYear},
      {"activity.cadence.general_branch.branch_committee_meeting",
       "committee meetings a general branch holds a year (monthly)", 12, 0, kMaxPerYear},
      {"activity.cadence.general_branch.party_lecture",
       "Party lectures a general branch holds a year", 0, 0, kMaxPerYear},
      {"activity.cadence.general_branch.organizational_life_meeting",
       "organisational life meetings a general branch holds a year (yearly)", 1, 0, kMaxPerYear},
      {"assessment.hours.test",
       "hours credited for passing a course's final test or a plan's periodic test, once per"
       " paper and member, in hundredths (fixed on the paper when it is published)",
       50, 0, kMaxHundredths},
      {"assessment.lease_hours",
       "hours a kiosk exam lease stays usable after it is issued (a shift; never past the"
       " paper's close): the exam is taken within them",
       12, 1, 24},
      {"assessment.lease_upload_hours",
       "hours after a kiosk exam lease's window within which the kiosk must upload the exam;"
       " after them it is graded as abandoned",
       72, 1, 720},
      {"progress.clock_skew_seconds",
       "how far in the future (after correcting the device's clock by its sent time) a progress"
       " event may lie before it is rejected, in seconds",
       300, 0, 3600, true},
      {"progress.event_retention_months",
       "months raw progress events are kept before compaction; older events are rejected", 24, 1,
       120, true},
      {"progress.credit.time_factor_percent",
       "most study time credited for a lesson, as a percentage of the part of it covered (pauses"
       " and going back over a passage; beyond it, re-studying earns nothing)",
       150, 100, 500, true},
      {"progress.credit.lesson_daily_cap_minutes",
       "most study time credited for one lesson in one day (China time), in minutes", 60, 1, 1440,
       true},
      {"progress.credit.max_speed_percent",
       "fastest pace through content that counts as covering it, as a percentage of normal"
       " speed (a segment covered faster counts only as far as this pace reaches)",
       200, 100, 1000, true},
      {"progress.completion.media_permille",
       "share of a video or audio that its merged watched segments must cover to complete it,"
       " in per-mille",
       900, 1, 1000, true},
      {"progress.completion.article_reading_percent",
       "reading time an article needs to complete, as a percentage of its estimated reading"
       " time",
       60, 1, 500, true},
      {"progress.length.article_chars_per_minute",
       "reading speed that estimates an article's length (characters a minute)", 400, 50, 5000,
       true},
      {"progress.length.document_seconds_per_page",
       "reading time that estimates a document's length, in seconds a page", 20, 1, 600, true},
      {"offline.ticket_hours",
       "hours after a member's online sign-in at a kiosk during which what the kiosk uploads"
       " for them counts without their confirmation (the kiosk ticket's window: a shift)",
       12, 1, 24, true},
      {"offline.identification_hours",
       "longest window, in hours, a phone identification may claim for a member at a kiosk", 12, 1,
       24, true},
      {"statistics.snapshot_grace_days",
       "days after a month's end before its statistics snapshot freezes (kiosk syncs arriving"
       " late still count until then); a frozen snapshot never changes",
       5, 0, 60, true},
      {"kiosk.device.lockouts_before_long_lock",
       "device locks (20 wrong PINs in 10 minutes each) within a day after which a kiosk's"
       " member sign-in stays locked for the long lock",
       3, 1, 20},
      {"kiosk.device.long_lock_hours",
       "hours a kiosk's member sign-in stays locked after repeated device locks, unless an"
       " admin unlocks it",
       12, 1, 168},
  };
  return *kDefinitions;
}

const SettingDefinition* FindSettingDefinition(absl::string_view key) {
  for (const SettingDefinition& definition : AllSettingDefinitions()) {
    if (definition.key == key) return &definition;
  }
  return nullptr;
}

}  // namespace lms::settings
