#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace lms::assessment {

// Numbers equal lms.v1.KioskExamLeaseStatus.
enum class LeaseStatus : int { kUnspecified = 0, kHeld = 1, kUploaded = 2, kExpired = 3 };

// An attempt leased to a kiosk to be taken offline (README "Offline exams on kiosks"):
// the terms the signed lease states, and what became of it.
struct ExamLease {
  int64_t attempt_id = 0;
  int64_t kiosk_id = 0;
  int64_t member_id = 0;
  std::string kiosk_public_key;  // raw Ed25519 bytes
  std::string lease_text;        // `el1.…` as issued
  absl::Time issue_time = absl::InfinitePast();
  absl::Time window_end = absl::InfinitePast();
  absl::Time upload_due = absl::InfinitePast();
  int32_t time_limit_seconds = 0;  // 0: untimed
  int32_t grace_seconds = 0;
  LeaseStatus status = LeaseStatus::kUnspecified;
  // Once uploaded.
  std::string chain_digest;
  absl::Time exam_start_time = absl::InfinitePast();
  absl::Time upload_time = absl::InfinitePast();
  int64_t evidence_id = 0;
  int32_t late_answers = 0;
};

}  // namespace lms::assessment
