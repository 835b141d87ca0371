#pragma once

#include <cstdint>

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
  int64_t study_ms = 0;

  [[nodiscard]] bool meets_requirement() const {
    return credited_hundredths >= required_hundredths;
  }
  [[nodiscard]] bool on_track() const { return credited_hundredths >= expected_hundredths; }
  [[nodiscard]] bool without_study() const { return credited_hundredths <= 0 && study_ms <= 0; }
};

}  // namespace lms::statistics
