#include "services/activity/activity_validation.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "common/validation/field_checks.h"

namespace lms::activity {
namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxDescription = 2000;
constexpr size_t kMaxLocation = 200;
constexpr size_t kMaxLecturerName = 64;
constexpr size_t kMaxLecturerTitle = 100;
constexpr size_t kMaxReason = 500;

bool Unset(absl::Time t) { return t == absl::InfinitePast(); }

// Kinds that have someone lecturing: a Party lecture, an expert's, a theme day's talk, a
// class.
bool HasLecturer(ActivityKind kind) {
  return kind == ActivityKind::kPartyLecture || kind == ActivityKind::kExpertLecture ||
         kind == ActivityKind::kThemePartyDay || kind == ActivityKind::kTrainingClass;
}

void CheckClass(status::FieldErrors& errors, const std::string& prefix, ActivityKind kind,
                const ActivityContent& content, bool times_ok) {
  const TrainingClass& seats = content.training_class;
  const std::string field = prefix + "training_class";
  if (kind != ActivityKind::kTrainingClass) {
    if (seats.capacity != 0 || !Unset(seats.sign_up_open_time) ||
        !Unset(seats.sign_up_close_time) || seats.plan_id != 0) {
      errors.Add(field, "is for training classes only");
    }
    return;
  }
  if (seats.capacity < 1 || seats.capacity > kMaxClassCapacity) {
    errors.Add(field + ".capacity", absl::StrCat("must be 1 to ", kMaxClassCapacity));
  }
  if (seats.plan_id < 0) errors.Add(field + ".plan_id", "must be 0 or a positive id");
  if (!times_ok) return;
  if (Unset(seats.sign_up_open_time) != Unset(seats.sign_up_close_time)) {
    errors.Add(field + ".sign_up_open_time",
               "set both ends of the sign-up window, or neither for the default");
  } else if (seats.sign_up_close_time <= seats.sign_up_open_time) {
    errors.Add(field + ".sign_up_close_time", "must be after sign-up opens");
  } else if (seats.sign_up_close_time > content.start_time) {
    errors.Add(field + ".sign_up_close_time", "must not be after the class starts");
  }
}

void CheckWindow(status::FieldErrors& errors, const std::string& prefix, const std::string& name,
                 absl::Time open, absl::Time close, const ActivityContent& content) {
  const std::string open_field = absl::StrCat(prefix, name, "_open_time");
  const std::string close_field = absl::StrCat(prefix, name, "_close_time");
  if (Unset(open) != Unset(close)) {
    errors.Add(Unset(open) ? open_field : close_field,
               "set both ends of the window, or neither for the default");
    return;
  }
  if (close <= open) {
    errors.Add(close_field, "must be after the window opens");
    return;
  }
  if (open < content.start_time - kMaxWindowReach) {
    errors.Add(open_field, "may open at most a day before the activity starts");
  }
  if (close > content.end_time + kMaxWindowReach) {
    errors.Add(close_field, "may close at most a day after the activity ends");
  }
}

}  // namespace

void ApplyDefaultWindows(ActivityContent& content, absl::Time now) {
  if (Unset(content.start_time) || Unset(content.end_time)) return;
  TrainingClass& seats = content.training_class;
  if (seats.capacity > 0 && Unset(seats.sign_up_open_time) && Unset(seats.sign_up_close_time)) {
    seats.sign_up_open_time = std::min(now, content.start_time - absl::Seconds(1));
    seats.sign_up_close_time = content.start_time;
  }
  if (Unset(content.sign_in_open_time) && Unset(content.sign_in_close_time)) {
    content.sign_in_open_time = content.start_time - kDefaultSignInLead;
    content.sign_in_close_time = content.start_time + kDefaultSignInGrace;
  }
  if (content.sign_out_required && Unset(content.sign_out_open_time) &&
      Unset(content.sign_out_close_time)) {
    content.sign_out_open_time = content.end_time - kDefaultSignOutLead;
    content.sign_out_close_time = content.end_time + kDefaultSignOutGrace;
  }
}

absl::Status CheckActivity(const std::string& prefix, ActivityKind kind,
                           const ActivityContent& content, absl::Time now) {
  status::FieldErrors errors;
  if (!IsKnownActivityKind(static_cast<int>(kind))) {
    errors.Add(prefix + "kind", "must be a known activity kind");
  }
  validation::CheckText(errors, prefix + "title", content.title, 1, kMaxTitle);
  validation::CheckText(errors, prefix + "description", content.description, 0, kMaxDescription,
                        true);
  validation::CheckText(errors, prefix + "location", content.location, 0, kMaxLocation);
  if (!IsKnownContentCategory(static_cast<int>(content.content_category))) {
    errors.Add(prefix + "content_category", "must be a known content category");
  }
  bool times_ok = true;
  if (Unset(content.start_time)) {
    errors.Add(prefix + "start_time", "is required");
    times_ok = false;
  } else if (content.start_time < now - kMaxRecordedBack ||
             content.start_time > now + kMaxScheduleAhead) {
    errors.Add(prefix + "start_time", "must lie between two years ago and a year ahead");
    times_ok = false;
  }
  if (Unset(content.end_time)) {
    errors.Add(prefix + "end_time", "is required");
    times_ok = false;
  } else if (times_ok && content.end_time <= content.start_time) {
    errors.Add(prefix + "end_time", "must be after start_time");
    times_ok = false;
  } else if (times_ok && content.end_time - content.start_time > kMaxActivityLength) {
    errors.Add(prefix + "end_time", "an activity lasts at most 14 days");
    times_ok = false;
  }
  if (times_ok) {
    CheckWindow(errors, prefix, "sign_in", content.sign_in_open_time, content.sign_in_close_time,
                content);
    if (content.sign_out_required) {
      CheckWindow(errors, prefix, "sign_out", content.sign_out_open_time,
                  content.sign_out_close_time, content);
    }
  }
  if (!content.sign_out_required &&
      (!Unset(content.sign_out_open_time) || !Unset(content.sign_out_close_time))) {
    errors.Add(prefix + "sign_out_open_time", "is for activities with sign_out_required");
  }
  CheckClass(errors, prefix, kind, content, times_ok);
  if (content.makeup_course_id < 0) {
    errors.Add(prefix + "makeup_course_id", "must be 0 or a positive id");
  }
  const Lecturer& lecturer = content.lecturer;
  const bool has_lecturer =
      lecturer.member_id != 0 || !lecturer.name.empty() || !lecturer.title.empty();
  if (has_lecturer && !HasLecturer(kind)) {
    errors.Add(prefix + "lecturer", "only lectures and theme Party days have a lecturer");
  }
  if (lecturer.member_id < 0) errors.Add(prefix + "lecturer.member_id", "must not be negative");
  if (lecturer.member_id > 0 && !lecturer.name.empty()) {
    errors.Add(prefix + "lecturer.name", "is for an invited lecturer; a member's name is known");
  }
  validation::CheckText(errors, prefix + "lecturer.name", lecturer.name, 0, kMaxLecturerName);
  validation::CheckText(errors, prefix + "lecturer.title", lecturer.title, 0, kMaxLecturerTitle);
  if (lecturer.member_id == 0 && lecturer.name.empty() && !lecturer.title.empty()) {
    errors.Add(prefix + "lecturer.name", "is required with a title");
  }
  std::set<MemberCategory> seen;
  const auto& categories = content.targets.member_categories;
  for (size_t i = 0; i < categories.size(); ++i) {
    const std::string field = absl::StrCat(prefix, "targets.member_categories[", i, "]");
    if (!IsKnownMemberCategory(static_cast<int>(categories[i]))) {
      errors.Add(field, "must be a known member category");
    } else if (!seen.insert(categories[i]).second) {
      errors.Add(field, "repeated");
    }
  }
  return errors.ToStatus();
}

absl::Status CheckReason(const std::string& field, const std::string& reason) {
  status::FieldErrors errors;
  validation::CheckText(errors, field, reason, 1, kMaxReason, true);
  return errors.ToStatus();
}

}  // namespace lms::activity
