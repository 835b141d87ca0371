#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/categories.h"

namespace lms::activity {

// Kinds of collective activity (numbers equal lms.v1.ActivityKind).
enum class ActivityKind : int {
  kUnspecified = 0,
  kBranchGeneralMeeting = 1,
  kBranchCommitteeMeeting = 2,
  kGroupMeeting = 3,
  kPartyLecture = 4,
  kThemePartyDay = 5,
  kExpertLecture = 6,
  kVisit = 7,
  kOrganizationalLifeMeeting = 8,
  kTrainingClass = 9,
};
inline constexpr int kMaxActivityKind = 9;

[[nodiscard]] constexpr bool IsKnownActivityKind(int value) {
  return value >= 1 && value <= kMaxActivityKind;
}

// The kind's name in setting keys ("activity.hours.party_lecture").
[[nodiscard]] inline const char* SettingName(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kBranchGeneralMeeting:
      return "branch_general_meeting";
    case ActivityKind::kBranchCommitteeMeeting:
      return "branch_committee_meeting";
    case ActivityKind::kGroupMeeting:
      return "group_meeting";
    case ActivityKind::kPartyLecture:
      return "party_lecture";
    case ActivityKind::kThemePartyDay:
      return "theme_party_day";
    case ActivityKind::kExpertLecture:
      return "expert_lecture";
    case ActivityKind::kVisit:
      return "visit";
    case ActivityKind::kOrganizationalLifeMeeting:
      return "organizational_life_meeting";
    case ActivityKind::kTrainingClass:
      return "training_class";
    case ActivityKind::kUnspecified:
      break;
  }
  return "unspecified";
}

// Numbers equal lms.v1.ActivityState. Stored: scheduled, closed, cancelled; a scheduled
// activity whose start time has passed reads as held.
enum class ActivityState : int {
  kUnspecified = 0,
  kScheduled = 1,
  kHeld = 2,
  kClosed = 3,
  kCancelled = 4,
};

struct Lecturer {
  // A member who lectures (credited the lecturer's hours), or an invited person by name.
  int64_t member_id = 0;
  std::string name;
  std::string title;
};

struct ActivityTargets {
  bool include_subtree = false;
  // Empty: every member.
  std::vector<MemberCategory> member_categories;
};

// A training class's seats (capacity 0: not a class).
struct TrainingClass {
  int capacity = 0;
  // [open, close); InfinitePast when unset in a request (from now until the start).
  absl::Time sign_up_open_time = absl::InfinitePast();
  absl::Time sign_up_close_time = absl::InfinitePast();
  int64_t plan_id = 0;
};

// What an admin edits; one stored row per version.
struct ActivityContent {
  std::string title;
  ContentCategory content_category = ContentCategory::kUnspecified;
  std::string description;
  std::string location;
  absl::Time start_time = absl::InfinitePast();
  absl::Time end_time = absl::InfinitePast();
  // [open, close); InfinitePast when unset in a request (the defaults apply).
  absl::Time sign_in_open_time = absl::InfinitePast();
  absl::Time sign_in_close_time = absl::InfinitePast();
  bool sign_out_required = false;
  absl::Time sign_out_open_time = absl::InfinitePast();
  absl::Time sign_out_close_time = absl::InfinitePast();
  Lecturer lecturer;
  ActivityTargets targets;
  TrainingClass training_class;
  // Make-up study (补学): 0 for none.
  int64_t makeup_course_id = 0;
};

// The hours an activity credits, from the settings rule of its kind and length.
struct ActivityHours {
  int64_t attendee_hundredths = 0;
  // For a member lecturer; 0 without one.
  int64_t lecturer_hundredths = 0;
  // The latest settings change the figures rest on (0: the defaults).
  int64_t rule_version = 0;
};

struct Activity {
  int64_t id = 0;
  int64_t organization_id = 0;
  ActivityKind kind = ActivityKind::kUnspecified;
  // As stored: scheduled, closed or cancelled (see StateAt for what callers see).
  ActivityState state = ActivityState::kUnspecified;
  int64_t version = 0;
  ActivityContent content;
  ActivityHours hours;
  std::vector<uint8_t> sign_in_secret;
  int attendee_count = 0;
  // Set on closing; -1 before.
  int targeted_count = -1;
  std::string cancel_reason;
  // The version shown: its reason and author.
  std::string change_reason;
  int64_t created_by = 0;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  absl::Time close_time = absl::InfinitePast();
  int64_t lecturer_credit_id = 0;
  // Training classes: the seat counts (read only).
  int seated_count = 0;
  int waiting_count = 0;

  // Scheduled reads as held once the start time has passed.
  [[nodiscard]] ActivityState StateAt(absl::Time now) const {
    if (state == ActivityState::kScheduled && now >= content.start_time) {
      return ActivityState::kHeld;
    }
    return state;
  }
  [[nodiscard]] bool IsClass() const { return kind == ActivityKind::kTrainingClass; }
  [[nodiscard]] bool Finished() const {
    return state == ActivityState::kClosed || state == ActivityState::kCancelled;
  }
};

// Numbers equal lms.v1.AttendanceMethod.
enum class AttendanceMethod : int {
  kUnspecified = 0,
  kCode = 1,
  kKiosk = 2,
  kAdmin = 3,
  kMakeUp = 4
};
// Numbers equal lms.v1.AttendanceStatus.
enum class AttendanceStatus : int {
  kUnspecified = 0,
  kPresent = 1,
  kExcused = 2,
  kAbsent = 3,
  // An offline kiosk's word alone: counts for nothing until an admin decides.
  kPending = 4,
  // Not present, but completed the make-up course in time.
  kMadeUp = 5,
};

struct Attendance {
  int64_t activity_id = 0;
  int64_t member_id = 0;
  AttendanceStatus status = AttendanceStatus::kUnspecified;
  AttendanceMethod sign_in_method = AttendanceMethod::kUnspecified;
  absl::Time sign_in_time = absl::InfinitePast();
  AttendanceMethod sign_out_method = AttendanceMethod::kUnspecified;
  absl::Time sign_out_time = absl::InfinitePast();
  int64_t kiosk_id = 0;
  int64_t recorded_by = 0;
  std::string reason;
  // The live ledger credit (0: none), how many credits it has had, and what it holds.
  int64_t credit_id = 0;
  int credit_seq = 0;
  int64_t credited_hundredths = 0;
  absl::Time update_time = absl::InfinitePast();
  // The offline evidence it came with (a kiosk's sync), 0 otherwise.
  int64_t evidence_id = 0;
  // Read only.
  std::string member_name;
};

// Numbers equal lms.v1.SeatState.
enum class SeatState : int { kUnspecified = 0, kSeated = 1, kWaiting = 2, kWithdrawn = 3 };

struct ClassSeat {
  int64_t activity_id = 0;
  int64_t member_id = 0;
  SeatState state = SeatState::kUnspecified;
  int64_t position = 0;
  absl::Time sign_up_time = absl::InfinitePast();
  absl::Time seat_time = absl::InfinitePast();
  absl::Time withdraw_time = absl::InfinitePast();
  int64_t changed_by = 0;
  std::string reason;
  // Read only: the place in the waitlist (1: next), and the member's name.
  int waitlist_place = 0;
  std::string member_name;
};

}  // namespace lms::activity
