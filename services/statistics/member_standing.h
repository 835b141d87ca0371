#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace lms::statistics {

// One member as a report counts them on its date: the figures every organisation and
// category figure adds up.
struct MemberStanding {
  int64_t member_id = 0;
  int64_t organization_id = 0;
  int64_t category_mask = 0;
  // Some plan speaks for the member (hours for a category they hold, or a required course).
  bool in_plan = false;
  int64_t required_hundredths = 0;
  // The requirement pro rata to the date: what "on track" compares against.
  int64_t expected_hundredths = 0;
  int64_t credited_hundredths = 0;
  int32_t required_courses = 0;
  int32_t completed_courses = 0;
  // Required courses past their due date and not completed by the date.
  int32_t overdue_courses = 0;
  int64_t study_ms = 0;
  // The plan whose hours requirement applies (0: the settings' default), and the plan
  // requiring the first overdue course (0: none overdue).
  int64_t hours_plan_id = 0;
  int64_t overdue_plan_id = 0;
  // The latest study by the date (InfinitePast: none).
  absl::Time last_study = absl::InfinitePast();

  [[nodiscard]] bool meets_requirement() const {
    return credited_hundredths >= required_hundredths;
  }
  [[nodiscard]] bool on_track() const { return credited_hundredths >= expected_hundredths; }
  [[nodiscard]] bool without_study() const { return credited_hundredths <= 0 && study_ms <= 0; }
  // Behind: hours below the requirement pro rata to the date, or a required course overdue.
  [[nodiscard]] bool behind() const { return !on_track() || overdue_courses > 0; }
  // The plan whose requirement the member is furthest from: the hours' when short of them,
  // else the overdue course's.
  [[nodiscard]] int64_t behind_plan_id() const {
    return !on_track() && hours_plan_id != 0 ? hours_plan_id : overdue_plan_id;
  }
  // What the member still needs to be on track (0 when on track).
  [[nodiscard]] int64_t shortfall_hundredths() const {
    return on_track() ? 0 : expected_hundredths - credited_hundredths;
  }
};

}  // namespace lms::statistics
