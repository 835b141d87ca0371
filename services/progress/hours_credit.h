#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/domain/categories.h"

namespace lms::progress {

// Where an hours credit came from (numbers equal lms.v1.CreditSource).
enum class CreditSource : int {
  kUnspecified = 0,
  kCourseCompletion = 1,
  kTest = 2,
  kAttendance = 3,
  kClass = 4,
  kManual = 5,
  kReversal = 6,
  kWaiver = 7,
};

// One entry of the study-hours ledger (学时). Never changed once written.
struct HoursCredit {
  int64_t id = 0;
  int64_t member_id = 0;
  CreditSource source = CreditSource::kUnspecified;
  // Unique per member: the same earning is never credited twice ("course:12").
  std::string source_key;
  // The course, test, activity... (0 for a manual credit).
  int64_t source_id = 0;
  std::string title;
  // The year it counts for: the China year of happen_time (当年有效).
  int year = 0;
  // Negative for a reversal.
  int64_t hundredths = 0;
  ContentCategory content_category = ContentCategory::kUnspecified;
  int64_t rule_version = 0;
  // 0 for the system; else the admin who made it.
  int64_t actor_member_id = 0;
  std::string reason;
  absl::Time happen_time = absl::InfinitePast();
  absl::Time record_time = absl::InfinitePast();
  // A reversal: the credit it undoes.
  int64_t reverses_credit_id = 0;
  // Read only: the reversal that undid this credit, if any.
  int64_t reversed_by_credit_id = 0;
  // Read only: the source the summaries count it under (a reversal's is the undone one's).
  CreditSource summary_source = CreditSource::kUnspecified;
};

}  // namespace lms::progress
